"""Her booking forms: a day picked from the facility's calendar (radio buttons, no script
needed), the waitlist for a full day, and the buttons that cancel or take up an offer. Forms
read what was picked; the services in ``sango.bookings`` decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.bookings.selectors import FEW, FREE, FULL, UNSET, DayAvailability
from sango.core.wareki import wareki
from sango.portals.common.once import OnceForm

# The days a mother may pick: free, few left, full (she is then offered the waitlist), and
# days of a facility that has set no capacity (it answers the request itself).
PICKABLE = (FREE, FEW, FULL, UNSET)
MAX_NIGHTS = 7  # a bound on the choice, not a rule of any programme (caps are checked at use)


class ActionForm(OnceForm):
    """A button that changes something (cancel, take up an offer, withdraw): only the token."""


class DayForm(OnceForm):
    """The first day (the night of arrival, for a stay) and, for a stay, how many nights."""

    day = forms.ChoiceField(
        label=_("利用したい日"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("利用したい日を選んでください。"),
            "invalid_choice": _(
                "この日は予約できません（休業日か受付期間の外です）。"
                "カレンダーの○・△・×の日からえらんでください。"
            ),
        },
    )

    def __init__(self, *args: Any, days: list[DayAvailability], nightly: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.days = [d for d in days if d.state in PICKABLE]
        self.fields["day"].choices = [(d.day.isoformat(), _label(d)) for d in self.days]
        if nightly:
            self.fields["nights"] = forms.TypedChoiceField(
                label=_("泊数"),
                choices=[(n, _("%(n)s泊") % {"n": n}) for n in range(1, MAX_NIGHTS + 1)],
                coerce=int,
                initial=1,
            )

    def clean_day(self) -> date:
        return date.fromisoformat(self.cleaned_data["day"])


def _label(day: DayAvailability) -> str:
    return f"{wareki(day.day)} {day.label}"


class WaitlistForm(OnceForm):
    """キャンセル待ちに登録 for one full day, offered after a request was refused as full."""

    day = forms.DateField(widget=forms.HiddenInput)
