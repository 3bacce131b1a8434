"""The what-if (試算) form: a draft programme document (typed or uploaded) and a period of uses.

The draft is checked here with the rules core's loader, so that a draft that fails validation
is shown with every problem (line and field) and nothing is replayed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.portals.common.fields import DateField, TextInput
from sango.portals.common.once import OnceForm
from sango.programs.whatif import draft_check
from sango.rules.errors import Problem, ProgramError
from sango.rules.program import Program

# The replay runs while the page waits (see views/whatif.py): three years of a city's uses
# take well under a second; a longer period is more than a clerk needs for one 要綱 change.
LONGEST_PERIOD = timedelta(days=3 * 366)
MAX_DOCUMENT_BYTES = 1_000_000  # the shipped documents are about 20 KB


class WhatIfForm(OnceForm):
    """Run a what-if (the dates are needed) or keep the draft under a name (``saving``)."""

    document = forms.CharField(
        label=_("試算の制度文書（YAML）"),
        help_text=_(
            "今の制度文書の写しです。変えたいところ（日数、市の負担額など）を書き換えてください。"
            "実際の制度や記録は変わりません。"
        ),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 22,
                "spellcheck": "false",
                "autocomplete": "off",
                "class": "whatif-document",
            }
        ),
    )
    upload = forms.FileField(
        label=_("または文書のファイルを選ぶ"),
        help_text=_("ファイルを選んだときは、上の欄ではなくファイルの内容で試算します。"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
    )
    date_from = DateField(label=_("利用日（から）"), help_text=_("例: 令和7年4月1日、R7.4.1"))
    date_to = DateField(label=_("利用日（まで）"), help_text=_("例: 令和8年3月31日"))
    name = forms.CharField(
        label=_("案の名前（保存するとき）"),
        help_text=_("例: 宿泊を10泊に（令和9年度の案）"),
        max_length=100,
        required=False,
        widget=TextInput,
    )

    def __init__(
        self, *args: Any, municipality_code: str, saving: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.municipality_code = municipality_code
        self.saving = saving
        # Keeping a draft needs its name, not a period; running needs the period.
        self.fields["name"].required = saving
        self.fields["date_from"].required = self.fields["date_to"].required = not saving
        self.fields["once"].required = saving  # a run writes nothing: it may be sent again
        self.problems: list[Problem] = []
        self.draft: Program | None = None

    def clean_upload(self) -> str | None:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（1MBまで）。"))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("文字コードが読めません。UTF-8 で保存したファイルを選んでください。")
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("upload"):
            data["document"] = data["upload"]
            # What is replayed is what the page shows: the uploaded text replaces the box's.
            self.data = self.data.copy()
            self.data["document"] = data["upload"]
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("date_to", _("「から」より後の日付にしてください。"))
            elif end - start > LONGEST_PERIOD:
                self.add_error("date_to", _("期間は3年以内にしてください。"))
        text = data.get("document") or ""
        if not text.strip():
            self.add_error("document", _("制度文書を入力するか、ファイルを選んでください。"))
            return data
        try:
            self.draft = draft_check(text, municipality_code=self.municipality_code)
        except ProgramError as exc:
            self.problems = exc.problems
            self.add_error(
                "document",
                _("制度文書に%(count)s件の問題があります。下の一覧を見て直してください。")
                % {"count": len(exc.problems)},
            )
        return data
