"""利用カード in マイページ: the number printed on her card with her birth date, and her baby's
birth for a card she was handed in pregnancy. The services in ``sango.vouchers`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.portals.common.fields import DateField, TextInput, WholeNumberField
from sango.portals.common.once import OnceForm


class CardForm(forms.Form):
    """The card's number and her own birth date (what proves the card is hers)."""

    number = forms.CharField(
        label=_("利用カードの番号"),
        max_length=40,
        widget=TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("カードに印刷された18けたの番号です。例: 431001-1234-5678-9012"),
        error_messages={"required": _("利用カードの番号を入力してください。")},
    )
    birth_date = DateField(
        label=_("あなたの生年月日"),
        help_text=_("例: 1994-05-20、平成6年5月20日、H6.5.20"),
        error_messages={"required": _("あなたの生年月日を入力してください。")},
    )


class BirthForm(OnceForm):
    """赤ちゃんの出生: the day, how many (twins), and a name if decided."""

    birth_date = DateField(
        label=_("赤ちゃんが生まれた日"),
        error_messages={"required": _("赤ちゃんが生まれた日を入力してください。")},
    )
    count = WholeNumberField(
        label=_("生まれた赤ちゃんの人数"),
        minimum=1,
        maximum=3,
        help_text=_("ふたごのときは 2"),
        error_messages={"required": _("人数を入力してください。")},
    )
    name = forms.CharField(
        label=_("赤ちゃんの名前"),
        max_length=100,
        required=False,
        widget=TextInput(attrs={"autocomplete": "off"}),
        help_text=_("決まっていなければ空欄で大丈夫です。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["count"].initial = 1
        self.fields["birth_date"].latest = timezone.localdate()
