"""The steps of a case before the decision: 受付 of a draft, the 聞き取り調査, the household
tier, the documents received and the 担当者 — each form built from the programme version
concerned, in its own words (see ``forms.intake`` for the 利用申請書 itself)."""

from __future__ import annotations

import unicodedata
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.applications.models import Application, Interview, TierBasis
from sango.portals.common.fields import DateField, TextInput
from sango.portals.staff.forms.intake import (
    PROXY_FIELDS,
    ServiceErrorForm,
    add_channel_fields,
    add_document_fields,
    proxy_arguments,
    received_at,
)
from sango.rules.program import RuleSet


class TimeField(forms.TimeField):
    """A time as people type it: 10:30, １０：３０ or 10時30分."""

    widget = TextInput
    input_formats = ["%H:%M", "%H時%M分", "%H時"]
    default_error_messages = {"invalid": _("時刻は 10:30 の形で入力してください。")}

    def to_python(self, value: Any) -> time | None:
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%H:%M") if isinstance(value, time) else value


class ReceiveForm(ServiceErrorForm):
    """受付 of a draft: the way, the day and, where allowed, the proxy."""

    submitted_on = DateField(label=_("申請日（受付日）"))
    channel = forms.ChoiceField(label=_("受付方法"), widget=forms.RadioSelect)

    def __init__(self, *args, rules: RuleSet, **kw) -> None:
        super().__init__(*args, **kw)
        add_channel_fields(self, rules)

    @property
    def proxy(self) -> list[forms.BoundField]:
        return [self[name] for name in PROXY_FIELDS if name in self.fields]

    def submit_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "submitted_at": received_at(data["submitted_on"]),
            **proxy_arguments(data),
        }


class InterviewForm(ServiceErrorForm):
    """聞き取り調査: when, how, what was found, the internal notes and the note for the facility."""

    conducted_on = DateField(label=_("実施日"))
    conducted_time = TimeField(
        label=_("時刻"), widget=TextInput(attrs={"placeholder": _("例: 10:30")})
    )
    method = forms.ChoiceField(label=_("方法"), widget=forms.RadioSelect)
    needs_found = forms.MultipleChoiceField(
        label=_("確認した状態"), required=False, widget=forms.CheckboxSelectMultiple
    )
    exclusions_found = forms.MultipleChoiceField(
        label=_("除外事由"), required=False, widget=forms.CheckboxSelectMultiple
    )
    assessment = forms.CharField(
        label=_("所見（内部メモ）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("市の職員だけが見ます。"),
    )
    facility_note = forms.CharField(
        label=_("施設への申し送り"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 400}),
        help_text=_(
            "利用券を確認した施設に表示されます。授乳の悩みなど、ケアに必要なことだけを書いてください。"
        ),
    )

    def __init__(self, *args, rules: RuleSet, **kw) -> None:
        super().__init__(*args, **kw)
        now = timezone.localtime()
        self.fields["conducted_on"].initial = now.date()
        self.fields["conducted_on"].latest = now.date()
        self.fields["conducted_time"].initial = now.time().replace(second=0, microsecond=0)
        interview = rules.process.interview
        methods = interview.methods if interview else list(Interview.Method.values)
        self.fields["method"].choices = [(m, Interview.Method(m).label) for m in methods]
        self.fields["needs_found"].choices = [
            (c.code, c.label) for c in rules.eligibility.needs.conditions
        ]
        self.fields["exclusions_found"].choices = [
            (c.code, c.label) for c in rules.eligibility.exclusions
        ]
        if not rules.eligibility.exclusions:
            del self.fields["exclusions_found"]

    def interview_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        moment = datetime.combine(data["conducted_on"], data["conducted_time"])
        return {
            "conducted_at": timezone.make_aware(moment),
            "method": data["method"],
            "needs_found": data["needs_found"],
            "exclusions_found": data.get("exclusions_found", []),
            "assessment": data["assessment"],
            "facility_note": data["facility_note"],
        }


class TierForm(ServiceErrorForm):
    """世帯の区分の確認: the tier, how it was established and on which day."""

    tier = forms.ChoiceField(label=_("世帯の区分"), widget=forms.RadioSelect)
    tier_basis = forms.ChoiceField(
        label=_("確認方法"), choices=TierBasis.choices, widget=forms.RadioSelect
    )
    checked_on = DateField(label=_("確認日"))

    def __init__(self, *args, rules: RuleSet, application: Application, **kw) -> None:
        super().__init__(*args, **kw)
        today = timezone.localdate()
        self.fields["tier"].choices = [(t.code, t.name) for t in rules.money.tiers]
        self.fields["tier"].initial = application.tier or None
        self.fields["tier_basis"].initial = application.tier_basis or None
        self.fields["checked_on"].initial = today
        self.fields["checked_on"].latest = today


class DocumentsForm(ServiceErrorForm):
    """提出書類: one checkbox 受領 per document the programme version asks for."""

    def __init__(self, *args, rules: RuleSet, application: Application, **kw) -> None:
        super().__init__(*args, **kw)
        held = set(application.documents_received)
        self.document_names = add_document_fields(self, rules, held=held)

    @property
    def document_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _label in self.document_names]

    def received(self) -> list[str]:
        return [label for name, label in self.document_names if self.cleaned_data[name]]


class AssignForm(ServiceErrorForm):
    """担当者: one of the municipality's active clerks and approvers."""

    assignee = forms.TypedChoiceField(label=_("担当者"), coerce=int)

    def __init__(self, *args, workers: list, application: Application, **kw) -> None:
        super().__init__(*args, **kw)
        self.workers = {w.pk: w for w in workers}
        self.fields["assignee"].choices = [("", _("選択してください"))] + [
            (w.pk, w.get_full_name() or w.username) for w in workers
        ]
        self.fields["assignee"].initial = application.assigned_to_id
