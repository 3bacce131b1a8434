"""Saved what-if drafts (試算の案): a programme document a municipality's staff are pricing.

A draft is never the programme in force: the documents in force live in the programme
directories (``SANGO_PROGRAM_DIRS``) and are loaded with ``sango load-programmes``. A draft is
kept only so that a what-if can be run again, or shown, without retyping it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.municipalities.models import Municipality


class WhatIfDraft(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("案の名前"), max_length=100)
    document = models.TextField(_("制度文書（YAML）"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("保存日時"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("試算の案")
        verbose_name_plural = _("試算の案")

    def __str__(self) -> str:
        return self.name
