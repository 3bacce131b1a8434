"""The forms of money paid out: a reimbursement from its receipt and its decision, the claims
list filter and the line-by-line review of a facility claim."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.billing.models import ClaimLine, RejectionReason
from sango.portals.common.fields import DateField, TextInput, WholeNumberField
from sango.portals.common.once import OnceForm
from sango.portals.staff.forms.decisions import MAX_QUANTITY, ServiceErrorForm, reason_field
from sango.programs.selectors import service_name
from sango.rules.program import RuleSet
from sango.rules.request import parse_date

# 10:00, 9:30, 10時, 10時30分: the time half of a date and time.
_TIME = re.compile(r"^(\d{1,2})(?::|時)(\d{1,2})?分?$")


class DateTimeField(forms.CharField):
    """A date and a time: 2026-05-10 10:00, R8.5.10 10時, 令和8年5月10日 9:30."""

    widget = TextInput
    default_error_messages = {
        "invalid": _("日付と時刻として読めません。例: 2026-05-10 10:00、R8.5.10 10:00"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "例: 2026-05-10 10:00")

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, datetime):
            return value
        text = unicodedata.normalize("NFKC", super().to_python(value) or "").strip()
        if not text:
            return None
        day_text, _space, time_text = text.rpartition(" ")
        match = _TIME.match(time_text.replace(" ", ""))
        day = parse_date(day_text) if day_text else None
        if day is None or match is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        return value


def service_choices(rules: RuleSet) -> list[tuple[str, str]]:
    """Every service by its name; a service with sub-types also each sub-type."""
    choices = []
    for service in rules.services.values():
        choices.append((service.code, service.name))
        choices += [(sub.code, service_name(rules, sub.code)) for sub in service.subtypes]
    return choices


class ReimbursementForm(ServiceErrorForm, OnceForm):
    """県外医療機関での利用・費用請求: the receipt's figures, as the mother hands them in."""

    facility_name = forms.CharField(label=_("利用した施設"), max_length=100, widget=TextInput())
    facility_address = forms.CharField(label=_("所在地"), max_length=200, widget=TextInput())
    service = forms.ChoiceField(label=_("サービス"))
    day = DateField(label=_("利用日"))
    start = DateTimeField(
        label=_("開始"), required=False, help_text=_("宿泊や時間で区分が決まるときに入力します。")
    )
    end = DateTimeField(label=_("終了"), required=False)
    quantity = WholeNumberField(
        label=_("数量"),
        minimum=1,
        maximum=MAX_QUANTITY,
        help_text=_("開始・終了を入力したときは、その時間から数えます。"),
    )
    infants = WholeNumberField(label=_("乳児の人数"), minimum=1, maximum=5)
    amount_paid = WholeNumberField(
        label=_("支払った額（円）"), minimum=1, help_text=_("領収書の金額。例: 30,000円")
    )
    receipt_number = forms.CharField(
        label=_("領収書番号"), max_length=50, required=False, widget=TextInput()
    )

    def __init__(self, data: Any = None, *, rules: RuleSet, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["service"].choices = [("", _("選んでください")), *service_choices(rules)]
        self.fields["quantity"].initial = 1
        self.fields["infants"].initial = 1
        self.fields["day"].latest = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.has_error("start"):
            if not self.has_error("end"):
                self.add_error("end" if start else "start", _("開始と終了は両方入力してください。"))
        elif start and end and end <= start:
            self.add_error("end", _("終了は開始より後の日時です。"))
        return data

    def submission(self) -> dict[str, Any]:
        keys = (
            "facility_name",
            "facility_address",
            "service",
            "day",
            "start",
            "end",
            "quantity",
            "infants",
            "amount_paid",
            "receipt_number",
        )
        return {key: self.cleaned_data[key] for key in keys}


class ReimbursementApproveForm(ServiceErrorForm, OnceForm):
    """支給決定: nothing to type; the amount comes from the rules."""


class ReimbursementRejectForm(ServiceErrorForm, OnceForm):
    reason = reason_field(_("不支給の理由"))


class ListFilter(forms.Form):
    """状態 (and 対象月 for claims) for a list; every choice optional."""

    status = forms.ChoiceField(label=_("状態"), required=False)

    def __init__(self, data: Any, *, statuses, months: list[date] | None = None) -> None:
        super().__init__(data)
        self.fields["status"].choices = [("", _("すべて")), *statuses]
        if months is not None:
            self.fields["month"] = forms.ChoiceField(
                label=_("対象月"),
                required=False,
                choices=[("", _("すべて"))]
                + [(m.isoformat(), f"{m.year}年{m.month}月") for m in months],
            )
            self.order_fields(["month", "status"])

    def chosen(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        if data.get("month"):
            data["month"] = date.fromisoformat(data["month"])
        return {key: value for key, value in data.items() if value}


# --- 委託料請求の審査 ---------------------------------------------------------------------------

ACCEPT = "accept"


def review_choices(pending: bool) -> list[tuple[str, str]]:
    """承認, or 返戻 with one of the numbered reasons; 未審査 only while a line is."""
    choices = [("", _("未審査"))] if pending else []
    choices.append((ACCEPT, _("承認")))
    choices += [
        (str(value), _("返戻 %(number)s %(label)s") % {"number": value, "label": label})
        for value, label in RejectionReason.choices
    ]
    return choices


class ClaimReviewForm(ServiceErrorForm, OnceForm):
    """One select (承認 / 返戻 and its number) and one 備考 per line, sent together."""

    def __init__(self, data: Any = None, *, lines: list[ClaimLine], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.lines = lines
        for number, line in enumerate(lines, start=1):
            pending = line.status == ClaimLine.Status.PENDING
            if line.status == ClaimLine.Status.ACCEPTED:
                initial = ACCEPT
            else:
                initial = str(line.rejection_reason or "")
            self.fields[f"line_{line.pk}"] = forms.ChoiceField(
                label=_("明細%(number)sの審査") % {"number": number},
                required=False,
                choices=review_choices(pending),
                initial=initial,
            )
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=_("明細%(number)sの備考") % {"number": number},
                required=False,
                max_length=200,
                initial=line.rejection_note,
                widget=TextInput(),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for line in self.lines:
            chosen, note = data.get(f"line_{line.pk}"), data.get(f"note_{line.pk}", "")
            if chosen == str(RejectionReason.OTHER) and not note.strip():
                self.add_error(f"note_{line.pk}", _("「その他」の場合は備考を入力してください。"))
        return data

    def rows(self) -> list[tuple[ClaimLine, forms.BoundField, forms.BoundField]]:
        """(line, its select, its note) for the table; a field in error names its message."""
        rows = []
        for line in self.lines:
            decision, note = self[f"line_{line.pk}"], self[f"note_{line.pk}"]
            for bound in (decision, note):
                if self.is_bound and bound.errors:
                    bound.field.widget.attrs["aria-describedby"] = f"{bound.auto_id}_error"
            rows.append((line, decision, note))
        return rows

    def reviews(self) -> list[tuple[ClaimLine, dict[str, Any]]]:
        """The lines whose review changed, with the keywords of ``claim_line_review``."""
        changed = []
        for line in self.lines:
            chosen = self.cleaned_data.get(f"line_{line.pk}")
            note = self.cleaned_data.get(f"note_{line.pk}", "").strip()
            if not chosen:
                continue
            if chosen == ACCEPT:
                if line.status != ClaimLine.Status.ACCEPTED:
                    changed.append((line, {"accept": True}))
                continue
            reason = int(chosen)
            same = (
                line.status == ClaimLine.Status.REJECTED
                and line.rejection_reason == reason
                and line.rejection_note == note
            )
            if not same:
                changed.append((line, {"accept": False, "reason": reason, "note": note}))
        return changed

    def field_for_line(self, line: ClaimLine, field: str | None) -> str | None:
        return f"note_{line.pk}" if field == "note" else f"line_{line.pk}"


class ClaimDecisionForm(ServiceErrorForm, OnceForm):
    """請求を確定する / 差し戻す: only the button and the token."""
