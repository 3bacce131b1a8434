"""The forms of the 支払 pages: a batch for a date, the lock with the figures reviewed, a
returned transfer, and the municipality's own account as originator (a facility's account is
the common ``BankAccountForm``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.core.errors import ServiceError
from sango.payments.models import ReturnReason
from sango.portals.common.bank_account import ACCOUNT_FIELDS, BankAccountForm
from sango.portals.common.fields import DateField, TextInput
from sango.portals.common.once import OnceForm


class ServiceErrorMixin:
    def add_service_error(self, error: ServiceError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


class BuildForm(ServiceErrorMixin, OnceForm):
    pay_date = DateField(
        label=_("支払日"), help_text=_("銀行が振り込む日。例: 2026-05-25、R8.5.25")
    )


class LockForm(OnceForm):
    """確定する: carries the count and total (yen) the approver was shown."""

    count = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    total = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReturnForm(OnceForm):
    """振込不能: the bank's reason for one line."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.TypedChoiceField(
        label=_("振込不能の理由"),
        coerce=int,
        choices=[("", _("理由を選ぶ")), *ReturnReason.choices],
    )


class OriginatorForm(BankAccountForm):
    """振込元: the municipality's own account and what its bank calls it."""

    code = forms.CharField(
        label=_("委託者コード（10けた）"),
        max_length=20,
        widget=TextInput({"inputmode": "numeric"}),
        help_text=_("総合振込の契約で銀行から通知された番号です。"),
    )
    name = forms.CharField(
        label=_("委託者名（カナ）"),
        max_length=60,
        widget=TextInput(),
        help_text=_("銀行に届け出た名前をカタカナで。例: ソウジヤシ"),
    )
    field_order = ["code", "name", *ACCOUNT_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].help_text = _("市の口座の名義。例: ソウジヤシ カイケイカンリシヤ")
