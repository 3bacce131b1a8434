"""施設をさがす: her baby's birth (or due) date, how many babies, the service she wants and her
household tier — the service and tier names in the programme's words, "わからない" allowed."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.portals.common.fields import DateField
from sango.portals.my.finder import Criteria
from sango.programs import finder
from sango.programs.templatetags.programmes import jdate, window_label
from sango.rules.program import Program

# A baby is rarely born more than two weeks after the due date (42 weeks); a due date further
# back means she is telling us a birth date, and the windows would be counted wrongly.
DUE_DATE_PAST = timedelta(days=14)
DUE_DATE_AHEAD = timedelta(days=300)  # about the length of a pregnancy
UNKNOWN_TIER = "unknown"


class FindForm(forms.Form):
    born = forms.ChoiceField(
        label=_("赤ちゃんは生まれていますか"),
        choices=[
            ("born", _("生まれています（生まれた日を入力）")),
            ("due", _("まだです（出産予定日を入力）")),
        ],
        widget=forms.RadioSelect,
        initial="born",
    )
    day = DateField(
        label=_("生まれた日、または出産予定日"),
        help_text=_("例: 令和8年11月3日、2026-11-03、R8.11.3（全角の数字でも入力できます）"),
    )
    infants = forms.TypedChoiceField(
        label=_("赤ちゃんの人数"),
        choices=[(1, _("1人")), (2, _("2人（ふたご）")), (3, _("3人（みつご）"))],
        coerce=int,
        widget=forms.RadioSelect,
        initial=1,
    )
    service = forms.ChoiceField(label=_("使いたいサービス"), required=False)
    tier = forms.ChoiceField(
        label=_("世帯の区分"),
        help_text=_("自己負担額の目安に使います。わからないときは、区分ごとの額を表示します。"),
        widget=forms.RadioSelect,
        initial=UNKNOWN_TIER,
    )

    def __init__(self, *args, program: Program, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.program, self.today = program, today
        rules = program.version_on(today) or program.versions[-1]
        self.fields["service"].choices = [
            ("", _("どれでも")),
            *((code, s.name) for code, s in rules.services.items()),
        ]
        self.fields["tier"].choices = [
            *((t.code, t.name) for t in rules.money.tiers),
            (UNKNOWN_TIER, _("わからない")),
        ]

    def clean(self) -> dict:
        data = super().clean()
        day, born = data.get("day"), data.get("born")
        if day is None or born is None:
            return data
        if born == "born" and day > self.today:
            self.add_error(
                "day",
                _(
                    "生まれた日が今日より後になっています。まだ生まれていないときは"
                    "「まだです」を選んで、出産予定日を入力してください。"
                ),
            )
        elif born == "due" and day < self.today - DUE_DATE_PAST:
            self.add_error(
                "day",
                _(
                    "出産予定日が2週間より前になっています。生まれているときは"
                    "「生まれています」を選んで、生まれた日を入力してください。"
                ),
            )
        elif born == "due" and day > self.today + DUE_DATE_AHEAD:
            self.add_error("day", _("出産予定日が先すぎます。日付を確かめてください。"))
        elif finder.usable(self.program, None, "", start=day, today=self.today).last_day is None:
            self.add_error("day", self._window_passed(day))
        return data

    def _window_passed(self, day: date) -> str:
        rules = self.program.version_on(self.today) or self.program.versions[-1]
        window = rules.eligibility.postpartum_window
        return _(
            "この日に生まれた赤ちゃんは、%(name)sの産後ケアを利用できる期間"
            "（%(window)s: %(last)sまで）を過ぎています。"
        ) % {
            "name": self.program.name,
            "window": window_label(window),
            "last": jdate(window.last_day(day)),
        }

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        tier = data["tier"]
        return Criteria(
            municipality=self.program.code,
            start=data["day"],
            born=data["born"] == "born",
            infants=data["infants"],
            tier="" if tier == UNKNOWN_TIER else tier,
        )

    @classmethod
    def initial_from(cls, criteria: Criteria | None, service: str = "") -> dict:
        """The form as she last filled it (from her session), so nothing is typed twice."""
        if criteria is None:
            return {"service": service}
        return {
            "born": "born" if criteria.born else "due",
            "day": criteria.start,
            "infants": criteria.infants,
            "service": service,
            "tier": criteria.tier or UNKNOWN_TIER,
        }
