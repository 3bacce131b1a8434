"""Facilities and their contracts. One facility may contract with several municipalities under
different terms (a 倉敷市 midwife home serves 総社市 and other towns); the terms themselves are
judged by the rules core from the programme document, so a contract row records which document
facility it is and whether it is in force, not a copy of the rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.municipalities.models import Municipality


class Facility(models.Model):
    class Kind(models.TextChoices):
        HOSPITAL = "hospital", _("病院")
        CLINIC = "clinic", _("診療所")
        MIDWIFE_HOME = "midwife_home", _("助産所")
        OTHER = "other", _("その他")

    slug = models.SlugField(_("施設ID"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("住所"), max_length=200)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("施設")
        verbose_name_plural = _("施設")

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """A facility's contract with one municipality, as its programme document lists it."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="contracts")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="contracts"
    )
    services = models.JSONField(_("実施サービス"), default=list)
    own_patients_only = models.BooleanField(_("受診者のみ"), default=False)
    contact_municipality_first = models.BooleanField(_("市へ事前連絡"), default=False)
    effective_from = models.DateField(_("開始日"), null=True, blank=True)
    effective_until = models.DateField(_("終了日"), null=True, blank=True)
    listed = models.BooleanField(_("現行の一覧に掲載"), default=True)

    class Meta:
        ordering = ["municipality", "facility__name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "municipality"], name="contract_unique")
        ]
        verbose_name = _("委託契約")
        verbose_name_plural = _("委託契約")

    def __str__(self) -> str:
        return f"{self.facility.name} / {self.municipality.name}"
