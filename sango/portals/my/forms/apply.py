"""The forms of her details and of the online application, one part of the form each.

Forms read and check what was typed with the common fields (和暦 and full-width digits in
dates, kana, postal codes, phone numbers); every choice (services, needs, documents) comes
from the programme version in force, in its own words; the services decide and their
refusals are shown next to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.applications.models import Application
from sango.core.errors import ServiceError
from sango.mothers.models import Mother
from sango.mothers.services import MAX_INFANTS_AT_BIRTH, InfantData
from sango.portals.common.fields import (
    DateField,
    KanaField,
    PhoneField,
    PostalCodeField,
    TextInput,
    WholeNumberField,
)
from sango.portals.common.once import OnceForm
from sango.rules.program import RuleSet

Residence = Application.Residence


class ServiceErrorForm(OnceForm):
    """Shows a service's refusal next to the field it names, or at the top."""

    aliases: dict[str, str] = {}

    def add_service_error(self, error: ServiceError) -> None:
        name = self.aliases.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)


class DetailsForm(ServiceErrorForm):
    """お母さんと赤ちゃんの情報: her record, made or corrected by herself."""

    municipality = forms.TypedChoiceField(
        label=_("利用する市町村"),
        coerce=int,
        help_text=_("住民票のある市町村です。里帰り中の方も、住民票のある市町村を選んでください。"),
    )
    name = forms.CharField(label=_("お母さんの氏名"), max_length=100, widget=TextInput)
    name_kana = KanaField(
        label=_("フリガナ"), max_length=100, help_text=_("ひらがなでも入力できます。")
    )
    birth_date = DateField(label=_("お母さんの生年月日"), help_text=_("例: 平成6年5月20日"))
    postal_code = PostalCodeField(label=_("郵便番号"), help_text=_("例: 719-1131"))
    address = forms.CharField(
        label=_("住所"), max_length=200, widget=TextInput(attrs={"autocomplete": "street-address"})
    )
    phone = PhoneField(label=_("電話番号"), help_text=_("日中につながる番号"))
    born = forms.ChoiceField(
        label=_("赤ちゃんは生まれていますか"),
        choices=[("yes", _("生まれています")), ("no", _("まだ生まれていません"))],
        widget=forms.RadioSelect,
    )
    infant_birth_date = DateField(label=_("赤ちゃんの生年月日"), required=False)
    infant_count = WholeNumberField(
        label=_("赤ちゃんの人数"),
        minimum=1,
        maximum=MAX_INFANTS_AT_BIRTH,
        required=False,
        help_text=_("双子のときは 2 と入力してください。"),
    )
    due_date = DateField(label=_("出産予定日"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["municipality"].choices = [("", _("選んでください")), *choices]
        self.fields["birth_date"].latest = today
        self.fields["infant_count"].initial = 1
        # 郵便番号 → 住所 (portal.js): the attributes say where the address goes and whom to ask.
        self.fields["postal_code"].widget.attrs.update(
            {"data-postal-lookup": "id_address", "data-postal-url": reverse("my:postal")}
        )

    @staticmethod
    def initial_for(mother: Mother | None) -> dict[str, Any]:
        if mother is None:
            return {"born": "yes", "infant_count": 1}
        infants = list(mother.infants.all())
        return {
            "municipality": mother.municipality_id,
            "name": mother.name,
            "name_kana": mother.name_kana,
            "birth_date": mother.birth_date,
            "postal_code": mother.postal_code,
            "address": mother.address,
            "phone": mother.phone,
            "born": "yes" if infants else "no",
            "infant_birth_date": infants[0].birth_date if infants else None,
            "infant_count": len(infants) or 1,
            "due_date": mother.due_date,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        if data.get("born") == "yes":
            day = data.get("infant_birth_date")
            if day is None and "infant_birth_date" not in self.errors:
                self.add_error("infant_birth_date", _("赤ちゃんの生年月日を入力してください。"))
            elif day is not None and day > today:
                self.add_error(
                    "infant_birth_date",
                    _(
                        "今日より後の日付です。まだ生まれていないときは「まだ生まれていません」を"
                        "選んで、出産予定日を入力してください。"
                    ),
                )
        elif (
            data.get("born") == "no"
            and data.get("due_date") is None
            and ("due_date" not in self.errors)
        ):
            self.add_error("due_date", _("出産予定日を入力してください。"))
        return data

    def service_arguments(self) -> dict[str, Any]:
        """mother_register_self's (and mother_update_self's) keyword arguments."""
        data = self.cleaned_data
        born = data["born"] == "yes"
        infants: list[InfantData] = (
            [{"birth_date": data["infant_birth_date"]}] * (data.get("infant_count") or 1)
            if born
            else []
        )
        return {
            "municipality_id": data["municipality"],
            "name": data["name"],
            "name_kana": data["name_kana"],
            "birth_date": data["birth_date"],
            "postal_code": data["postal_code"],
            "address": data["address"],
            "phone": data["phone"],
            "infants": infants,
            "due_date": None if born else data["due_date"],
        }


class WhoForm(ServiceErrorForm):
    """だれが申請しますか (only where the programme accepts a proxy)."""

    aliases = {"by_proxy": "who"}

    who = forms.ChoiceField(
        label=_("だれが申請しますか"),
        choices=[
            ("self", _("お母さん本人")),
            ("proxy", _("代理の方（夫・お母さんの親など）がお母さんに代わって申請します")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, proxy_allowed: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not proxy_allowed:
            self.fields["who"].choices = self.fields["who"].choices[:1]


class ResidenceForm(ServiceErrorForm):
    residence = forms.ChoiceField(
        label=_("いまのお住まい"),
        choices=[
            (Residence.RESIDENT, _("住民票のある市町村に住んでいます")),
            (Residence.TEMPORARY_RETURN, _("里帰り中です（実家などに滞在しています）")),
        ],
        widget=forms.RadioSelect,
    )
    home_municipality = forms.CharField(
        label=_("住民票のある市町村（里帰りの方）"),
        required=False,
        max_length=50,
        widget=TextInput,
        help_text=_("例: 岡山県倉敷市"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("residence") == Residence.TEMPORARY_RETURN
            and not data.get("home_municipality", "").strip()
        ):
            self.add_error(
                "home_municipality", _("里帰りの方は、住民票のある市町村を入力してください。")
            )
        return data


class ServicesForm(ServiceErrorForm):
    """利用したいサービスの数量と施設 (optional): one number per service of the programme."""

    facility = forms.TypedChoiceField(
        label=_("利用したい施設"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, rules: RuleSet, facilities: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service_codes = list(rules.services)
        for code, service in rules.services.items():
            self.fields[f"service_{code}"] = WholeNumberField(
                label=service.name, required=False, minimum=1, maximum=99
            )
        self.fields["facility"].choices = [("", _("まだ決めていません")), *facilities]
        self.order_fields([f"service_{code}" for code in self.service_codes] + ["facility"])

    def requested(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[f"service_{code}"]
            for code in self.service_codes
            if self.cleaned_data.get(f"service_{code}")
        }

    def add_service_error(self, error: ServiceError) -> None:
        name = f"service_{error.field}" if f"service_{error.field}" in self.fields else error.field
        self.add_error(name if name in self.fields else None, error.message)


class NeedsForm(ServiceErrorForm):
    needs = forms.MultipleChoiceField(
        label=_("あてはまるものをすべて選んでください"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("あてはまるものを1つ以上選んでください。")},
    )

    def __init__(self, *args: Any, rules: RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = [
            (c.code, c.label) for c in rules.eligibility.needs.conditions
        ]


class DocumentForm(ServiceErrorForm):
    """One required document: a photo or PDF, or the answer given by the button pressed."""

    aliases = {"document": "file"}

    document = forms.CharField(widget=forms.HiddenInput, max_length=100)
    answer = forms.ChoiceField(
        choices=[("upload", "upload"), ("post", "post"), ("not_needed", "not_needed")],
        widget=forms.HiddenInput,
    )
    file = forms.FileField(
        label=_("写真またはPDF"),
        required=False,
        help_text=_("JPEG・PNG の写真か PDF（10MBまで）"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("answer") == "upload" and not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("ファイルを選んでください。"))
        return data


class ProxyForm(ServiceErrorForm):
    proxy_name = forms.CharField(label=_("代理の方の氏名"), max_length=100, widget=TextInput)
    proxy_relationship = forms.CharField(
        label=_("お母さんとの関係"), max_length=50, widget=TextInput, help_text=_("例: 夫、母")
    )
    proxy_id_document = forms.CharField(
        label=_("代理の方の本人確認書類の種類"),
        max_length=60,
        widget=TextInput,
        help_text=_("例: 運転免許証、マイナンバーカード"),
    )
    proxy_id_file = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    attorney_file = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args: Any, names: tuple[str, str], have: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        id_name, attorney_name = names
        hint = _("JPEG・PNG の写真か PDF（10MBまで）")
        kept = _("提出済みです。取り替えるときだけ選んでください。")
        for name, label, kind in (
            ("proxy_id_file", id_name, "proxy_id"),
            ("attorney_file", attorney_name, "attorney"),
        ):
            self.fields[name].label = label
            # not required here: she may save the rest and send the photo later
            self.fields[name].help_text = kept if kind in have else hint


class SubmitForm(OnceForm):
    """この内容で申請する: only the one-time token."""
