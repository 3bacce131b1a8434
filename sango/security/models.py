"""Which sessions belong to whom, so that "log out everywhere" can end them all: Django's
session table keys sessions by an opaque key and keeps the user id only inside the encoded
data, which cannot be queried."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records"
    )
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ログイン中のセッション")
        verbose_name_plural = _("ログイン中のセッション")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.started_at:%Y-%m-%d %H:%M}"
