"""The paper of a ward office's 利用カード: the mother and the handbook when the card is issued,
the birth when it is registered. Forms read and check what was typed; the services decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.applications.models import TierBasis
from sango.portals.common.fields import (
    DateField,
    KanaField,
    PhoneField,
    PostalCodeField,
    TextInput,
    WholeNumberField,
)
from sango.portals.common.once import OnceForm
from sango.portals.common.postal import address_for

EARLIEST_BIRTH = date(1900, 1, 1)


def _not_after_today(field: DateField) -> None:
    """A date bound read on each request: "today" moves, the form class does not."""
    field.latest = timezone.localdate()


class CardIssueForm(OnceForm):
    """利用カードの発行: the mother (産婦), the handbook's day and, if the baby is already born,
    the birth; the household tier and how it was established."""

    name = forms.CharField(label=_("氏名"), max_length=100, widget=TextInput())
    name_kana = KanaField(label=_("フリガナ"), max_length=100, help_text=_("カタカナ・ひらがな"))
    birth_date = DateField(label=_("生年月日"), earliest=EARLIEST_BIRTH)
    postal_code = PostalCodeField(label=_("郵便番号"), help_text=_("例: 860-0806"))
    address = forms.CharField(
        label=_("住所"), max_length=200, widget=TextInput(attrs={"autocomplete": "off"})
    )
    phone = PhoneField(label=_("電話番号"), help_text=_("例: 096-328-2419"))
    issued_on = DateField(
        label=_("親子健康手帳の交付日"),
        help_text=_("利用カードは手帳と一緒にお渡しします。"),
    )
    infant_birth_date = DateField(
        label=_("出生日"),
        required=False,
        help_text=_("すでに生まれている場合だけ入力します（乳児を同時に登録します）。"),
    )
    infant_count = WholeNumberField(
        label=_("生まれた人数"),
        minimum=1,
        maximum=3,
        required=False,
        help_text=_("多胎のときは 2 または 3。出生日を入力したときに使います。"),
    )
    due_date = DateField(
        label=_("出産予定日"),
        required=False,
        help_text=_(
            "出生前なら出産予定日を記録します。出生後は、早産のときに出生日と一緒に記録します。"
        ),
    )
    tier = forms.ChoiceField(label=_("世帯の区分"), widget=forms.RadioSelect)
    tier_basis = forms.ChoiceField(
        label=_("区分の確認方法"), widget=forms.RadioSelect, choices=TierBasis.choices
    )

    def __init__(self, *args: Any, tiers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = tiers
        self.fields["issued_on"].initial = timezone.localdate()
        self.fields["infant_count"].initial = 1
        for name in ("birth_date", "issued_on", "infant_birth_date"):
            _not_after_today(self.fields[name])
        postal = self.fields["postal_code"].widget.attrs
        postal.update(
            {"data-postal-lookup": "id_address", "data-postal-url": reverse("staff:postal")}
        )

    def clean_postal_code(self) -> str:
        code = self.cleaned_data["postal_code"]
        if code and address_for(code) is None:
            raise forms.ValidationError(
                _("この郵便番号は見つかりません。もう一度お確かめください。"), code="unknown"
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        return cleaned

    def mother_fields(self) -> dict[str, Any]:
        """The keywords of ``mother_create``."""
        keys = ("name", "name_kana", "birth_date", "postal_code", "address", "phone")
        fields = {key: self.cleaned_data[key] for key in keys}
        if not self.cleaned_data.get("infant_birth_date"):
            fields["due_date"] = self.cleaned_data.get("due_date")  # still expected
        return fields

    def birth(self) -> dict[str, Any] | None:
        """The keywords of ``infant_register_birth`` when the baby is already born, else None."""
        born = self.cleaned_data.get("infant_birth_date")
        if born is None:
            return None
        return {
            "birth_date": born,
            "count": self.cleaned_data.get("infant_count") or 1,
            "due_date": self.cleaned_data.get("due_date"),
        }


class BirthForm(OnceForm):
    """出生の登録 for a card handed out in pregnancy."""

    birth_date = DateField(label=_("出生日"))
    count = WholeNumberField(
        label=_("人数"), minimum=1, maximum=3, help_text=_("多胎のときは 2 または 3")
    )
    name = forms.CharField(
        label=_("乳児の氏名"),
        max_length=100,
        required=False,
        widget=TextInput(),
        help_text=_("未定なら空欄のままで構いません（多胎のときは最初のお子さん）。"),
    )
    due_date = DateField(
        label=_("出産予定日"),
        required=False,
        help_text=_("早産のとき、修正月齢で数える制度のために記録します。"),
    )

    def __init__(self, *args: Any, pregnancy_from: date, **kwargs: Any) -> None:
        """``pregnancy_from``: the day the card was handed out with the handbook, in pregnancy;
        a birth before it is a typing mistake."""
        super().__init__(*args, **kwargs)
        self.fields["count"].initial = 1
        self.fields["birth_date"].earliest = pregnancy_from
        _not_after_today(self.fields["birth_date"])
