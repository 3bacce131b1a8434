"""The bank-account form of the staff office and the facility portal: the fields of a
passbook, checked as a whole by ``sango.banking.services.bank_account_validate`` so that every
wrong field gets its message (a code that does not exist, a name the transfer cannot carry).
The mothers' portal asks for the same account one question at a time (its own form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.banking.models import BankAccount
from sango.banking.services import AccountDetails, BankAccountInvalid, bank_account_validate
from sango.core.errors import ServiceError
from sango.portals.common.fields import TextInput
from sango.portals.common.once import OnceForm

ACCOUNT_FIELDS = ("bank_code", "branch_code", "kind", "number", "holder")


class BankAccountForm(OnceForm):
    """An account as on the passbook; ``details()`` after ``is_valid()`` is the checked one."""

    bank_code = forms.CharField(
        label=_("金融機関コード（4けた）"),
        max_length=8,
        widget=TextInput({"inputmode": "numeric"}),
        help_text=_("例: 0168"),
    )
    branch_code = forms.CharField(
        label=_("支店コード（3けた）"), max_length=6, widget=TextInput({"inputmode": "numeric"})
    )
    kind = forms.ChoiceField(
        label=_("預金種目"),
        choices=BankAccount.Kind.choices,
        widget=forms.RadioSelect,
        initial=BankAccount.Kind.ORDINARY,
    )
    number = forms.CharField(
        label=_("口座番号（7けたまで）"), max_length=12, widget=TextInput({"inputmode": "numeric"})
    )
    holder = forms.CharField(
        label=_("口座名義（カナ）"),
        max_length=60,
        widget=TextInput(),
        help_text=_("通帳のとおりにカタカナで。区切りはスペース。例: ソウジヤ ハナコ"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if all(name in data for name in ACCOUNT_FIELDS):
            try:
                self.checked = bank_account_validate(
                    **{name: data[name] for name in ACCOUNT_FIELDS}
                )
            except BankAccountInvalid as error:
                for field, message in error.errors.items():
                    self.add_error(field, message)
        return data

    def details(self) -> AccountDetails:
        return self.checked

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)
