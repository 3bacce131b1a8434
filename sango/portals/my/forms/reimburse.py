"""The questions of 県外の施設で利用した費用の請求, one page each: what she used, what she paid
(with the photos of the receipt), and the account to pay into. Each page's answers are kept in
her session as plain values (``answers()``) until she sends the claim."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.banking.models import BankAccount
from sango.core.errors import ServiceError
from sango.portals.common.fields import DateField, TextInput, WholeNumberField
from sango.portals.common.once import OnceForm
from sango.programs.selectors import service_name
from sango.rules.program import RuleSet

MAX_NIGHTS = 30  # a stay of more than a month is not a postpartum care stay


class StepForm(forms.Form):
    """A question page: a service's refusal shown at the field it names."""

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


def _service_choices(rules: RuleSet) -> list[tuple[str, str]]:
    """Each service by the programme's name; a service with sub-types also each sub-type."""
    choices = []
    for service in rules.services.values():
        choices.append((service.code, service.name))
        choices += [(sub.code, service_name(rules, sub.code)) for sub in service.subtypes]
    return choices


def service_unit(rules: RuleSet, code: str) -> str:
    """The unit a service (or a sub-type, by its service) is counted in: night, day, visit."""
    service = rules.services.get(code) or rules.subtypes.get(code, (None,))[0]
    return service.unit if service else ""


class UseForm(StepForm):
    """利用した施設と日: where, what and when."""

    facility_name = forms.CharField(
        label=_("利用した施設の名前"), max_length=100, widget=TextInput()
    )
    facility_address = forms.CharField(
        label=_("施設の住所"),
        max_length=200,
        widget=TextInput(),
        help_text=_("都道府県から。例: 兵庫県神戸市中央区…"),
    )
    service = forms.ChoiceField(label=_("利用したサービス"), widget=forms.RadioSelect)
    day = DateField(label=_("利用した日（宿泊のときは入所した日）"))
    end_day = DateField(
        label=_("退所した日（宿泊のとき）"),
        required=False,
        help_text=_("宿泊のときに入力すると、泊数を日付から数えます。"),
    )
    quantity = WholeNumberField(
        label=_("泊数・日数・回数"),
        minimum=1,
        maximum=MAX_NIGHTS,
        required=False,
        help_text=_("領収書のとおりに。宿泊で退所日を入力したときは空欄でかまいません。"),
    )
    infants = WholeNumberField(label=_("一緒に利用した赤ちゃんの人数"), minimum=1, maximum=5)

    def __init__(self, data: Any = None, *, rules: RuleSet, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.rules = rules
        self.fields["service"].choices = _service_choices(rules)
        self.fields["infants"].initial = 1
        today = timezone.localdate()
        self.fields["day"].latest = today
        self.fields["end_day"].latest = today

    def _is_stay(self, code: str) -> bool:
        return service_unit(self.rules, code) == "night"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, end_day, quantity = data.get("day"), data.get("end_day"), data.get("quantity")
        if end_day and data.get("service") and not self._is_stay(data["service"]):
            self.add_error("end_day", _("退所した日は宿泊のときだけ入力します。"))
        elif end_day and day:
            nights = (end_day - day).days
            if nights <= 0:
                self.add_error("end_day", _("退所した日は入所した日より後の日です。"))
            elif quantity and quantity != nights:
                self.add_error(
                    "quantity",
                    _("日付からは%(nights)s泊です。泊数か日付を確かめてください。")
                    % {"nights": nights},
                )
            else:
                data["quantity"] = nights
        missing = not data.get("quantity")
        if missing and not self.has_error("quantity") and not self.has_error("end_day"):
            self.add_error("quantity", _("泊数・日数・回数を入力してください。"))
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "facility_name": data["facility_name"],
            "facility_address": data["facility_address"],
            "service": data["service"],
            "day": data["day"].isoformat(),
            "end_day": data["end_day"].isoformat() if data.get("end_day") else "",
            "quantity": data["quantity"],
            "infants": data["infants"],
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReceiptFilesField(forms.FileField):
    """Several photos at once from a phone's picker; a list of files (may be empty)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        single = super().clean
        return [single(file, initial) for file in files]


class ReceiptForm(StepForm):
    """支払った額と領収書: the amount, the receipt's number and its photos."""

    amount_paid = WholeNumberField(
        label=_("支払った額（円）"),
        minimum=1,
        help_text=_("領収書の合計の金額。例: 30,000"),
    )
    receipt_number = forms.CharField(
        label=_("領収書の番号（あれば）"), max_length=50, required=False, widget=TextInput()
    )
    receipts = ReceiptFilesField(
        label=_("領収書の写真"),
        required=False,
        help_text=_("領収書全体が読めるように撮ってください。写真（JPEG・PNG）かPDF、10MBまで。"),
    )

    def __init__(self, *args: Any, stored: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored = stored
        self.fields["receipts"].widget.attrs.update(
            {"accept": "image/jpeg,image/png,application/pdf"}
        )

    def answers(self) -> dict[str, Any]:
        return {
            "amount_paid": self.cleaned_data["amount_paid"],
            "receipt_number": self.cleaned_data["receipt_number"].strip(),
        }


class AccountForm(StepForm):
    """振込先の口座: checked by ``bank_account_validate`` in the view (it needs the bank data)."""

    bank_code = forms.CharField(
        label=_("金融機関コード（4けた）"),
        max_length=8,
        widget=TextInput({"inputmode": "numeric", "data-bank-code": ""}),
        help_text=_("通帳やキャッシュカードに書いてあります。例: 0001"),
    )
    branch_code = forms.CharField(
        label=_("支店コード（店番・3けた）"),
        max_length=6,
        widget=TextInput({"inputmode": "numeric", "data-branch-code": ""}),
    )
    kind = forms.ChoiceField(
        label=_("預金の種類"),
        choices=BankAccount.Kind.choices,
        widget=forms.RadioSelect,
        initial=BankAccount.Kind.ORDINARY,
    )
    number = forms.CharField(
        label=_("口座番号（7けたまで）"),
        max_length=12,
        widget=TextInput({"inputmode": "numeric"}),
        help_text=_("ゆうちょ銀行は、振込用の店番・口座番号（記号番号ではありません）です。"),
    )
    holder = forms.CharField(
        label=_("口座名義（カナ）"),
        max_length=60,
        widget=TextInput(),
        help_text=_(
            "通帳のとおりにカタカナかひらがなで。姓と名の間はスペース。例: ソウジャ ハナコ"
        ),
    )


class BankSearchForm(forms.Form):
    """金融機関を名前でさがす, for a mother who does not know the code."""

    bank_name = forms.CharField(
        label=_("金融機関の名前でさがす"), max_length=40, required=False, widget=TextInput()
    )


class SendForm(OnceForm):
    """確認して送信: only the one-time token, so that a double tap sends once."""


def day_of(text: str) -> date | None:
    """An ISO date kept in the session, back as a date."""
    return date.fromisoformat(text) if text else None
