"""The facility's booking forms: its settings (capacity per service, booking policy, closed
days), a booking taken by phone, and the answer to a request. Forms read and check what was
typed; the services in ``sango.bookings`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.bookings.capacity import MAX_PLACES, POLICY_LIMITS
from sango.bookings.places import Place
from sango.portals.common.fields import DateField, TextInput, WholeNumberField
from sango.portals.common.once import OnceForm
from sango.vouchers.models import Voucher


class ActionForm(OnceForm):
    """A button that changes something (accept, cancel, take up an offer …): only the token."""


class DeclineForm(OnceForm):
    """お断り: the reason the requester reads."""

    reason = forms.CharField(
        label=_("お断りの理由"),
        max_length=200,
        widget=TextInput(),
        help_text=_("申し込んだ方（こども課・ご本人）に伝わります。例: その日は助産師が不在のため"),
        error_messages={"required": _("お断りする理由を入力してください。")},
    )


class SettingsForm(OnceForm):
    """受入枠 per contracted service, and the booking policy."""

    horizon_days = WholeNumberField(
        label=_("予約の受付期間（何日先まで）"),
        minimum=POLICY_LIMITS["horizon_days"][0],
        maximum=POLICY_LIMITS["horizon_days"][1],
        help_text=_("例: 90（今日から90日先まで受け付けます）"),
    )
    cancel_hours = WholeNumberField(
        label=_("キャンセル期限（利用開始の何時間前まで）"),
        minimum=POLICY_LIMITS["cancel_hours"][0],
        maximum=POLICY_LIMITS["cancel_hours"][1],
        help_text=_("例: 24（前日の同じ時刻まで）"),
    )
    cancel_note = forms.CharField(
        label=_("キャンセルについてのご案内"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("キャンセル料は施設の規定によるもので、市町村の助成の対象外です。"),
    )
    offer_hours = WholeNumberField(
        label=_("キャンセル待ちの方への回答期限（時間）"),
        minimum=POLICY_LIMITS["offer_hours"][0],
        maximum=POLICY_LIMITS["offer_hours"][1],
        help_text=_("空きが出たとき、順番の方がこの時間内に返事をしないと次の方へご案内します。"),
    )

    def __init__(self, *args: Any, places: list[tuple[Place, int | None]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.places = [place for place, _ in places]
        for place, current in reversed(places):
            unit = _("1泊あたりの受入数") if place.nightly else _("1日あたりの受入数")
            field = WholeNumberField(
                label=f"{place.name}（{unit}）",
                minimum=0,
                maximum=MAX_PLACES,
                required=False,
                help_text=_(
                    "空欄のままなら受入枠を設けません（空き状況は「お問い合わせください」）。"
                ),
            )
            field.initial = current
            self.fields = {f"places_{place.service}": field, **self.fields}

    def place_fields(self) -> list[forms.BoundField]:
        return [self[f"places_{place.service}"] for place in self.places]

    def capacities(self) -> dict[str, int | None]:
        return {p.service: self.cleaned_data[f"places_{p.service}"] for p in self.places}


class ClosedDayForm(OnceForm):
    day = DateField(label=_("休業日"))
    note = forms.CharField(
        label=_("メモ"),
        max_length=100,
        required=False,
        widget=TextInput(),
        help_text=_("例: 年末年始、研修のため（空き状況には「休業」とだけ表示します）"),
    )


def voucher_label(voucher: Voucher) -> str:
    return f"{voucher.mother.name}（{voucher.municipality.name} {voucher.number}）"


class BookingNewForm(OnceForm):
    """A booking the facility took by phone, for a mother whose voucher or usage card it has
    been shown."""

    voucher = forms.TypedChoiceField(
        label=_("お母さん（利用券・利用カード）"),
        coerce=int,
        help_text=_("この施設で確認したことのある利用券・利用カードから選びます。"),
    )
    service = forms.ChoiceField(label=_("サービス"))
    start_date = DateField(label=_("開始日（入所日）"))
    end_date = DateField(
        label=_("終了日（退所日）"),
        help_text=_("1泊2日なら翌日。通所・訪問は最後の利用日。"),
    )
    note = forms.CharField(
        label=_("備考"),
        max_length=200,
        required=False,
        widget=TextInput(),
        help_text=_("例: 午前に入所、双子"),
    )

    def __init__(
        self,
        *args: Any,
        vouchers: list[Voucher],
        services: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.vouchers = {v.pk: v for v in vouchers}
        self.fields["voucher"].choices = [("", _("選んでください"))] + [
            (v.pk, voucher_label(v)) for v in vouchers
        ]
        self.fields["service"].choices = [("", _("選んでください")), *services]

    def chosen_voucher(self) -> Voucher:
        return self.vouchers[self.cleaned_data["voucher"]]


class WaitlistJoinForm(OnceForm):
    """キャンセル待ち for one full day, offered after a booking was refused as full."""

    voucher = forms.IntegerField(widget=forms.HiddenInput)
    service = forms.CharField(widget=forms.HiddenInput, max_length=40)
    day = DateField(widget=forms.HiddenInput)
