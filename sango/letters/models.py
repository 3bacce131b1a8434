"""A batch print: every letter a municipality (or one office) issued on a day, rendered as one
PDF by a background task, so that a clerk printing a morning's letters never waits on a page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.municipalities.models import Municipality


class PrintJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("作成待ち")
        DONE = "done", _("作成済み")
        FAILED = "failed", _("作成できませんでした")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("決定日"))
    status = models.CharField(
        _("状態"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    letters = models.PositiveIntegerField(_("通知書の数"), default=0)
    pdf = models.BinaryField(_("PDF"), blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("一括印刷")
        verbose_name_plural = _("一括印刷")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.day} {self.status}"
