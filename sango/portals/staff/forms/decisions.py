"""The paper of decisions: 承認・不承認, 利用変更（中止）申請書, 償還払いの請求 and the review of a
facility's monthly claim. Forms read and check what was typed; the services decide.

Each cap of the programme becomes one quantity field named ``grant_<cap code>``; a service's
error for ``grants.<cap code>`` is shown at that field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sango.applications.models import Application, ChangeRequest
from sango.core.errors import ServiceError
from sango.portals.common.fields import DateField, WholeNumberField
from sango.portals.common.once import OnceForm
from sango.programs.templatetags.programmes import unit_name
from sango.rules import schema as s
from sango.rules.program import RuleSet

GRANT = "grant_"
MAX_QUANTITY = 99


class ServiceErrorForm(forms.Form):
    """Shows a service's refusal at the field it names (``grants.stay`` → ``grant_stay``)."""

    def field_for(self, name: str | None) -> str | None:
        if name and name.startswith("grants."):
            name = GRANT + name.removeprefix("grants.")
        elif name == "grants":
            name = next((n for n in self.fields if n.startswith(GRANT)), None)
        return name if name in self.fields else None

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error(self.field_for(error.field), error.message)


def reason_field(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _facility_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None)


def infants_born(application: Application) -> int:
    """The infants of the mother's latest delivery (twins: 2), at least one."""
    mother = application.mother
    delivery = mother.delivery_date
    return max(sum(1 for i in mother.infants.all() if i.birth_date == delivery), 1)


def cap_ceiling(cap: s.Cap, born: int) -> int:
    """The quantity a cap allows for a mother of ``born`` infants (多胎: per_additional_infant
    for each infant after the first), as ``grants_check`` reads the programme; the pre-filled
    value of the approval form. The service checks the quantity granted."""
    return cap.limit + cap.per_additional_infant * (born - 1)


def _requested_for(cap: s.Cap, rules: RuleSet, requested: dict[str, int]) -> int | None:
    """What the mother asked for among the services the cap counts, or None."""
    asked = [
        quantity
        for code, quantity in requested.items()
        if code in cap.services or rules.parent_code(code) in cap.services
    ]
    return sum(asked) if asked else None


def _facility_choices(facilities, empty: str) -> list[tuple[Any, str]]:
    return [("", empty)] + [(f.pk, f.name) for f in facilities]


# --- 承認 / 不承認 -------------------------------------------------------------------------------


def approval_start(application: Application, today: date) -> date:
    """The default start of the period: today, or the birth when it is later."""
    delivery = application.mother.delivery_date
    return max(today, delivery) if delivery else today


class ApprovalForm(ServiceErrorForm, OnceForm):
    """承認: one quantity per cap of the version in force at the period's start, the period and
    the facility. ``rules`` is that version; ``taken`` the version the application was taken
    under (its postpartum window gives the default end)."""

    valid_from = DateField(label=_("利用期間 開始"))
    valid_until = DateField(
        label=_("利用期間 終了"), help_text=_("産後の利用できる期間の終わりまでです。")
    )
    facility = _facility_field(_("施設"))

    def __init__(
        self,
        data: Any = None,
        *,
        application: Application,
        rules: RuleSet,
        taken: RuleSet,
        facilities,
        today: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.rules = rules
        born = infants_born(application)
        requested = application.requested or {}
        for cap in rules.caps:
            ceiling = cap_ceiling(cap, born)
            asked = _requested_for(cap, rules, requested)
            help_text = _("上限 %(limit)s%(unit)s") % {
                "limit": ceiling,
                "unit": unit_name(cap.unit),
            }
            if born > 1 and cap.per_additional_infant:
                help_text += str(_("（多胎の加算を含む）"))
            if asked is not None:
                help_text += str(
                    _("・申請 %(asked)s%(unit)s") % {"asked": asked, "unit": unit_name(cap.unit)}
                )
            self.fields[GRANT + cap.code] = WholeNumberField(
                label=_("%(cap)s（%(unit)s）") % {"cap": cap.name, "unit": unit_name(cap.unit)},
                required=False,
                maximum=MAX_QUANTITY,
                initial=min(asked, ceiling) if asked is not None else ceiling,
                help_text=help_text,
            )
        self.fields["valid_from"].initial = approval_start(application, today)
        delivery = application.mother.delivery_date
        if delivery:
            self.fields["valid_until"].initial = taken.eligibility.postpartum_window.last_day(
                delivery
            )
        self.fields["facility"].choices = _facility_choices(facilities, _("指定しない"))
        self.fields["facility"].initial = application.facility_id
        self.order_fields([*self.grant_names, "valid_from", "valid_until", "facility"])

    @property
    def grant_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith(GRANT)]

    def grant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.grant_names]

    def grants(self) -> dict[str, int]:
        """{cap code: quantity} for the caps given a quantity; blank or 0 grants nothing."""
        return {
            name.removeprefix(GRANT): self.cleaned_data[name]
            for name in self.grant_names
            if self.cleaned_data.get(name)
        }

    def grant_rows(self) -> list[tuple[str, int, str]]:
        """(cap name, quantity, unit) of what will be granted, for the confirmation page."""
        caps = {cap.code: cap for cap in self.rules.caps}
        return [(caps[c].name, q, caps[c].unit) for c, q in self.grants().items()]

    def chosen_facility(self) -> str:
        chosen = self.cleaned_data.get("facility")
        return dict(self.fields["facility"].choices).get(chosen, "") if chosen else ""


class RejectionForm(ServiceErrorForm, OnceForm):
    reason = reason_field(_("不承認の理由"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _("通知書にこのまま記載されます。")


# --- 利用変更（中止）申請 ---------------------------------------------------------------


class ChangeRequestForm(ServiceErrorForm, OnceForm):
    """The paper 利用変更（中止）申請書: a blank quantity, facility or end leaves it as it is."""

    kind = forms.ChoiceField(
        label=_("申請の種類"), choices=ChangeRequest.Kind.choices, widget=forms.RadioSelect
    )
    facility = _facility_field(_("変更後の施設"))
    valid_until = DateField(label=_("変更後の利用期間 終了"), required=False)
    reason = reason_field(_("理由"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        rules: RuleSet,
        current: dict[str, int],
        facilities,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        for cap in rules.caps:
            unit = unit_name(cap.unit)
            now = current.get(cap.code)
            self.fields[GRANT + cap.code] = WholeNumberField(
                label=_("変更後の%(cap)s（%(unit)s）") % {"cap": cap.name, "unit": unit},
                required=False,
                maximum=MAX_QUANTITY,
                help_text=_("現在 %(now)s。空欄は変更なし")
                % {"now": f"{now}{unit}" if now else "—"},
            )
        self.fields["kind"].initial = ChangeRequest.Kind.CHANGE
        self.fields["facility"].choices = _facility_choices(facilities, _("変更なし"))
        grants = [n for n in self.fields if n.startswith(GRANT)]
        self.order_fields(["kind", *grants, "facility", "valid_until", "reason"])

    def grant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(GRANT)]

    def changes(self) -> dict[str, Any]:
        """The service's keywords; a cancellation carries its reason only."""
        data = self.cleaned_data
        if data["kind"] == ChangeRequest.Kind.CANCEL:
            return {"kind": data["kind"], "reason": data["reason"]}
        return {
            "kind": data["kind"],
            "reason": data["reason"],
            "grants": {
                n.removeprefix(GRANT): v
                for n, v in data.items()
                if n.startswith(GRANT) and v is not None
            },
            "facility_id": data.get("facility"),
            "valid_until": data.get("valid_until"),
        }


class ChangeDecisionForm(ServiceErrorForm, OnceForm):
    decision = forms.ChoiceField(
        label=_("決定"),
        choices=[("approve", _("承認")), ("reject", _("不承認"))],
        widget=forms.RadioSelect,
    )
    reason = reason_field(_("理由"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _("不承認のときは必ず入力してください。")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("不承認の理由を入力してください。"))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
