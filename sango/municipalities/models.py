"""Municipalities, their application offices and every revision of their programme document.

The programme document on disk is the source of the rules; these rows exist so that cases,
accounts and facilities can point at a municipality and an office, and so that the history of
the documents a municipality has run under is kept (a revision is never deleted or changed).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    code = models.CharField(_("全国地方公共団体コード"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    prefecture = models.CharField(_("都道府県"), max_length=10)

    class Meta:
        ordering = ["code"]
        verbose_name = _("市町村")
        verbose_name_plural = _("市町村")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Office(models.Model):
    """A unit that receives applications (こども課, a ward's 保健こども課 ...)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="offices")
    code = models.CharField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200)
    phone = models.CharField(_("電話番号"), max_length=20)
    active = models.BooleanField(_("現行"), default=True)

    class Meta:
        ordering = ["municipality", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="office_code_unique")
        ]
        verbose_name = _("窓口")
        verbose_name_plural = _("窓口")

    def __str__(self) -> str:
        return self.name


class ProgramRevision(models.Model):
    """One loaded text of a municipality's programme document, kept for ever."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="revisions"
    )
    sha256 = models.CharField(max_length=64)
    path = models.CharField(_("ファイル"), max_length=500)
    content = models.TextField(_("文書"))
    loaded_at = models.DateTimeField(_("読込日時"), auto_now_add=True)

    class Meta:
        ordering = ["municipality", "-loaded_at"]
        get_latest_by = "loaded_at"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "sha256"], name="revision_unique")
        ]
        verbose_name = _("制度文書の版")
        verbose_name_plural = _("制度文書の版")

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.sha256[:12]}"
