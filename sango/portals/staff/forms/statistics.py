"""The forms of the statistics page: which fiscal year to show, and the year's budget."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.core.errors import ServiceError
from sango.portals.common.fields import WholeNumberField
from sango.portals.common.once import OnceForm
from sango.reports.fiscal import FiscalYear
from sango.reports.services import BUDGET_LIMIT


def year_choices(first: int, last: int) -> list[tuple[str, str]]:
    """Fiscal years newest first, labelled in 和暦 with the Western year (令和8年度（2026年度）)."""
    return [(str(y), f"{FiscalYear(y).label}（{y}年度）") for y in range(last, first - 1, -1)]


class YearForm(forms.Form):
    # Always answered (a select with no blank): not marked 必須.
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=(), required=False)

    def __init__(self, *args, first: int, last: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(first, last)
        self.fields["year"].error_messages["invalid_choice"] = _(
            "表示できる年度から選んでください。"
        )


class BudgetForm(OnceForm):
    amount = WholeNumberField(
        label=_("予算額（円）"),
        help_text=_("予算書の産後ケア事業の額を円で入力してください。例: 12,000,000"),
        maximum=BUDGET_LIMIT - 1,
    )

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error("amount" if error.field == "amount" else None, error.message)
