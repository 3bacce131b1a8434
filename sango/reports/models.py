"""The budget (予算額) a municipality enters per fiscal year, to read its subsidies against.

One row per municipality and fiscal year: a supplementary budget (補正予算) replaces the amount,
and the audit trail keeps every amount it had, who entered it and when.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.municipalities.models import Municipality


class Budget(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveIntegerField(_("年度"), help_text=_("4月に始まる年（西暦）"))
    amount = models.PositiveBigIntegerField(_("予算額（円）"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("入力日時"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year"], name="budget_one_per_fiscal_year"
            )
        ]
        verbose_name = _("予算")
        verbose_name_plural = _("予算")

    def __str__(self) -> str:
        return f"{self.municipality} {self.fiscal_year}年度"
