"""The audit trail: every state change and every money figure, with actor, time, before, after.

Rows are only ever added. Personal data is not copied here: an event names the object by type
and id, and ``before``/``after`` hold states and figures, not names or addresses.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    # ``actor`` and ``application`` have no index of their own: the indexes in Meta begin with
    # them (every event written writes each index, so none is kept twice).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
    )
    at = models.DateTimeField(_("日時"), auto_now_add=True)
    action = models.CharField(_("操作"), max_length=60)
    target_type = models.CharField(_("対象"), max_length=40)
    target_id = models.PositiveBigIntegerField(_("対象ID"))
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        db_index=False,
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    before = models.JSONField(_("変更前"), default=dict, blank=True)
    after = models.JSONField(_("変更後"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["application", "at"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        verbose_name = _("監査記録")
        verbose_name_plural = _("監査記録")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
