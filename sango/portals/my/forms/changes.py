"""利用変更（中止）申請 in マイページ: stop, or change the quantities, the facility or the end of
the period of an approved application; with the reason. ``change_request_submit`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.portals.common.fields import DateField, WholeNumberField
from sango.portals.common.once import OnceForm


class ChangeForm(OnceForm):
    kind = forms.ChoiceField(
        label=_("申請する内容"),
        widget=forms.RadioSelect,
        choices=[
            ("change", _("内容を変える（日数・施設・期間）")),
            ("cancel", _("利用をやめる（中止）")),
        ],
        error_messages={"required": _("変えるか、やめるかを選んでください。")},
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: 体調が回復したため、引っ越しのため、もう少し利用したいため"),
        error_messages={"required": _("理由を入力してください。")},
    )

    def __init__(
        self,
        *args: Any,
        caps: list[tuple[str, str, int]],
        facilities: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        """``caps``: (code, the programme's name, what is granted now) of each cap;
        ``facilities``: the facilities her municipality contracts."""
        super().__init__(*args, **kwargs)
        self.caps = []
        for code, name, granted in caps:
            key = f"grant_{code}"
            self.fields[key] = WholeNumberField(
                label=_("%(name)sの数（変更後）") % {"name": name},
                required=False,
                maximum=99,
                help_text=_("今は %(n)s です。変えないときは空欄のまま。") % {"n": granted},
            )
            self.caps.append((code, key))
        self.fields["facility"] = forms.TypedChoiceField(
            label=_("利用する施設（変更後）"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("変えない")), *facilities],
        )
        self.fields["valid_until"] = DateField(
            label=_("利用期間の終わり（変更後）"), required=False
        )
        # the order she reads the page in, so that the error summary follows it
        self.order_fields(["kind", *(key for _code, key in self.caps), "facility", "valid_until"])

    def grant_fields(self) -> list[forms.BoundField]:
        return [self[key] for _code, key in self.caps]

    def change(self) -> dict[str, Any]:
        """The keyword arguments of ``change_request_submit`` for what was typed."""
        data = self.cleaned_data
        grants = {code: data[key] for code, key in self.caps if data.get(key) is not None}
        if data["kind"] == "cancel":
            return {"kind": "cancel", "reason": data["reason"]}
        return {
            "kind": "change",
            "reason": data["reason"],
            "grants": grants,
            "facility_id": data.get("facility"),
            "valid_until": data.get("valid_until"),
        }
