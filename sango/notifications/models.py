"""Messages (お知らせ): one per recipient and event, shown in the recipient's portal and mailed
once by a background task (``tasks.message_mail``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """What one person was told about one event. ``key`` names the event (``application:12:
    received``) so that telling her twice finds the first message instead of writing a second;
    ``link`` is a path inside her portal, never carrying personal data."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    key = models.CharField(max_length=120)
    subject = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"))
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    # Failed sending attempts; the task gives up after MAIL_ATTEMPTS (tasks.py).
    mail_failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_message_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["mailed_at", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.key
