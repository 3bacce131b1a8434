"""The forms of the monthly claim (委託料請求): which municipality and month to generate, the
filters of the history, the one-button forms (submit after confirmation, regenerate) and the
CSV's encoding. The services decide; these forms only read what was chosen."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.billing.models import FacilityClaim
from sango.core.errors import ServiceError
from sango.core.wareki import wareki
from sango.municipalities.models import Municipality
from sango.portals.common.once import OnceForm
from sango.programs.templatetags.programmes import english

MONTHS_OFFERED = 13  # this month and the twelve before it: late claims (月遅れ請求) included


def month_start(day: date, back: int = 0) -> date:
    """The first day of the month ``back`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def month_choices(today: date) -> list[tuple[str, str]]:
    """(ISO first day, 令和8年11月) for this month and the months before it, latest first."""
    months = [month_start(today, back) for back in range(MONTHS_OFFERED)]
    return [(m.isoformat(), _month_label(m)) for m in months]


def _month_label(month: date) -> str:
    return month.strftime("%B %Y") if english() else wareki(month, month_only=True)


def _municipality_choices(municipalities: list[Municipality]) -> list[tuple[str, str]]:
    return [(str(m.pk), m.name) for m in municipalities]


class ClaimGenerateForm(OnceForm):
    """請求を作成する: one of the municipalities the facility contracts with, and the month
    (last month unless chosen otherwise)."""

    municipality = forms.ChoiceField(
        label=_("請求先の市町村"),
        error_messages={
            "required": _("請求先の市町村を選んでください。"),
            "invalid_choice": _("契約している市町村から選んでください。"),
        },
    )
    month = forms.ChoiceField(
        label=_("対象月"),
        error_messages={
            "required": _("対象月を選んでください。"),
            "invalid_choice": _("一覧の月から選んでください。"),
        },
    )

    def __init__(
        self, data: Any = None, *, municipalities: list[Municipality], today: date
    ) -> None:
        super().__init__(data)
        self.municipalities = {str(m.pk): m for m in municipalities}
        choices = _municipality_choices(municipalities)
        if len(municipalities) > 1:
            choices.insert(0, ("", _("選んでください")))
        self.fields["municipality"].choices = choices
        self.fields["month"].choices = month_choices(today)
        self.fields["month"].initial = month_start(today, 1).isoformat()

    def chosen(self) -> dict[str, Any]:
        """``municipality`` and ``month`` (its first day) for ``claim_generate``."""
        return {
            "municipality": self.municipalities[self.cleaned_data["municipality"]],
            "month": date.fromisoformat(self.cleaned_data["month"]),
        }

    def add_service_error(self, error: ServiceError) -> None:
        # "facility": the service finds no contract between the facility and the municipality.
        field = "municipality" if error.field in ("facility", "municipality") else None
        self.add_error(field, error.message)


class ClaimFilter(forms.Form):
    """The history's filters: 市町村 and 状態, each optional."""

    municipality = forms.ChoiceField(label=_("市町村"), required=False)
    status = forms.ChoiceField(label=_("状態"), required=False)

    def __init__(self, data: Any, *, municipalities: list[Municipality]) -> None:
        super().__init__(data, auto_id="filter_%s")  # the generate form shares the page
        everything = [("", _("すべて"))]
        self.fields["municipality"].choices = everything + _municipality_choices(municipalities)
        self.fields["status"].choices = everything + list(FacilityClaim.Status.choices)

    def chosen(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        found: dict[str, Any] = {}
        if data.get("municipality"):
            found["municipality"] = int(data["municipality"])
        if data.get("status"):
            found["status"] = data["status"]
        return found


class ClaimActionForm(OnceForm):
    """A button that changes the claim (提出する, 作り直す): only the one-time token."""

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error(None, error.message)


ENCODINGS = {"utf8": "csv", "cp932": "csv_cp932"}  # ?encoding= → sango.reports.files format


class CsvForm(forms.Form):
    """?encoding=utf8 (UTF-8 with a BOM, the default) or cp932 (Shift_JIS for older Excel)."""

    encoding = forms.ChoiceField(
        choices=[("utf8", "UTF-8"), ("cp932", "Shift_JIS")], required=False
    )

    def fmt(self) -> str | None:
        """The ``sango.reports.files`` format, or None for an encoding we do not write."""
        if not self.is_valid():
            return None
        return ENCODINGS[self.cleaned_data["encoding"] or "utf8"]
