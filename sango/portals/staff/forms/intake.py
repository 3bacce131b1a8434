"""The 利用申請書 as the clerk copies it from paper, and the parts the case steps share
(``forms.intake_steps``: 受付, 聞き取り調査, tier, documents, 担当者).

Forms read and check what was typed; every choice (channels, offices, services, need
conditions, tiers, documents) comes from the programme version in force on the day concerned,
in the programme's own words; the services decide. A service's error names a field; fields
in rows are named ``infant1_birth_date``, ``booking2_end_date`` … and the service's
``bookings.1.end_date`` is shown at ``booking2_end_date``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.applications.models import Application
from sango.core.errors import ServiceError
from sango.portals.common.fields import (
    DateField,
    KanaField,
    PhoneField,
    PostalCodeField,
    TextInput,
    WholeNumberField,
)
from sango.portals.common.once import OnceForm
from sango.portals.common.postal import address_for
from sango.programs.templatetags.programmes import unit_name
from sango.rules.program import RuleSet

INFANT_ROWS = 3  # 多胎: up to triplets on one paper form
BOOKING_ROWS = 2
MAX_QUANTITY = 99
Channel = Application.Channel
Residence = Application.Residence

BOOKING_PARTS = ("facility", "service", "start_date", "end_date")  # booking_create's names
PROXY_FIELDS = ("proxy_name", "proxy_relationship", "proxy_id_document", "attorney_letter_received")


def received_at(day: date) -> datetime:
    """The moment of a 受付 on ``day``: now for today, the same clock time on an earlier day."""
    now = timezone.localtime()
    if day == now.date():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, now.time().replace(microsecond=0)))


class ServiceErrorForm(OnceForm):
    """Shows a service's refusal next to the field it names, or at the top."""

    def field_for(self, name: str | None) -> str | None:
        parts = (name or "").split(".")
        if len(parts) == 3 and parts[0] == "bookings" and parts[1].isdigit():
            name = f"booking{int(parts[1]) + 1}_{parts[2]}"
        return name if name in self.fields else None

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error(self.field_for(error.field), error.message)


def channel_choices(rules: RuleSet) -> list[tuple[str, str]]:
    """The ways the programme takes applications, by name (代理 is a checkbox, not a way)."""
    return [(code, Channel(code).label) for code in rules.process.channels if code in Channel]


def add_proxy_fields(form: forms.Form, rules: RuleSet) -> None:
    """代理人による申請, only where the programme accepts a proxy."""
    if "proxy" not in rules.process.channels:
        return
    form.fields["by_proxy"] = forms.BooleanField(label=_("代理人による申請"), required=False)
    form.fields["proxy_name"] = forms.CharField(
        label=_("代理人の氏名"), required=False, max_length=100, widget=TextInput
    )
    form.fields["proxy_relationship"] = forms.CharField(
        label=_("続柄"), required=False, max_length=50, widget=TextInput
    )
    form.fields["proxy_id_document"] = forms.CharField(
        label=_("本人確認書類"),
        required=False,
        max_length=100,
        widget=TextInput,
        help_text=_("例: 運転免許証"),
    )
    form.fields["attorney_letter_received"] = forms.BooleanField(
        label=_("委任状を受領"), required=False
    )


def proxy_arguments(data: dict[str, Any]) -> dict[str, Any]:
    """application_submit's proxy arguments; what was typed is dropped when unticked."""
    by_proxy = bool(data.get("by_proxy"))
    return {
        "by_proxy": by_proxy,
        "proxy_name": (data.get("proxy_name") or "").strip() if by_proxy else "",
        "proxy_relationship": (data.get("proxy_relationship") or "").strip() if by_proxy else "",
        "proxy_id_document": (data.get("proxy_id_document") or "").strip() if by_proxy else "",
        "attorney_letter_received": by_proxy and bool(data.get("attorney_letter_received")),
    }


def add_channel_fields(form: forms.Form, rules: RuleSet) -> None:
    """申請日 (default today) and 受付方法 among the programme's ways, then the proxy."""
    today = timezone.localdate()
    form.fields["submitted_on"].initial = today
    form.fields["submitted_on"].latest = today
    channels = channel_choices(rules)
    form.fields["channel"].choices = channels
    if len(channels) == 1:
        form.fields["channel"].initial = channels[0][0]
    add_proxy_fields(form, rules)


def _facility_field(label: str, choices: list) -> forms.TypedChoiceField:
    field = forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None)
    field.choices = choices
    return field


def add_document_fields(form: forms.Form, rules: RuleSet, *, held: set[str]) -> list:
    """One checkbox 受領 per required document, its condition (``when``) as help; returns the
    (field name, document name) pairs."""
    names = []
    for index, document in enumerate(rules.process.required_documents, start=1):
        form.fields[f"document{index}"] = forms.BooleanField(
            label=document.name,
            required=False,
            initial=document.name in held,
            help_text=document.when or "",
        )
        names.append((f"document{index}", document.name))
    return names


class ApplicationForm(ServiceErrorForm):
    """利用申請書, in the paper form's order. Built for the programme version of the 申請日."""

    submitted_on = DateField(label=_("申請日（受付日）"))
    channel = forms.ChoiceField(label=_("受付方法"), widget=forms.RadioSelect)
    office = forms.TypedChoiceField(label=_("窓口"), coerce=int, empty_value=None)
    name = forms.CharField(label=_("氏名"), max_length=100, widget=TextInput)
    name_kana = KanaField(label=_("フリガナ"), max_length=100, help_text=_("ひらがなも可"))
    birth_date = DateField(label=_("生年月日"), help_text=_("例: 平成6年5月20日 / H6.5.20"))
    postal_code = PostalCodeField(label=_("郵便番号"))
    address = forms.CharField(label=_("住所"), max_length=200, widget=TextInput)
    phone = PhoneField(label=_("電話番号"))

    def __init__(self, *args, user: Any, rules: RuleSet, offices: list, facilities: list, **kw):
        super().__init__(*args, **kw)
        today = timezone.localdate()
        self.fields["birth_date"].latest = today
        add_channel_fields(self, rules)
        self.fields["office"].choices = [("", _("選択してください"))] + [
            (o.pk, o.name) for o in offices
        ]
        self.fields["office"].required = bool(offices)
        if any(o.pk == user.office_id for o in offices):
            self.fields["office"].initial = user.office_id
        self.fields["postal_code"].widget.attrs["data-postal-lookup"] = "id_address"
        self.fields["postal_code"].widget.attrs["data-postal-url"] = reverse("staff:postal")
        self._infant_fields()
        self._residence_fields(rules)
        self.requested_names = []
        for code, service in rules.services.items():
            self.fields[f"requested_{code}"] = WholeNumberField(
                label=f"{service.name}（{unit_name(service.unit)}）",
                required=False,
                maximum=MAX_QUANTITY,
            )
            self.requested_names.append(f"requested_{code}")
        self.facilities = {f.pk: f for f in facilities}
        facility_choices = [("", _("選択なし"))] + [(f.pk, f.name) for f in facilities]
        self.fields["facility"] = _facility_field(_("希望施設"), facility_choices)
        self._booking_fields(rules, facility_choices)
        self.document_names = add_document_fields(self, rules, held=set())
        self.fields["duplicate_confirmed"] = forms.BooleanField(
            label=_("重複を確認した上で受け付ける"), required=False
        )
        self.order_fields(["submitted_on", "channel", "by_proxy", *PROXY_FIELDS, "office"])

    def _infant_fields(self) -> None:
        """One row per infant (多胎: one each); labels name the row for the error summary."""
        today = timezone.localdate()
        for row in range(1, INFANT_ROWS + 1):
            self.fields[f"infant{row}_birth_date"] = DateField(
                label=_("%(n)s人目の出生日") % {"n": row}, required=False, latest=today
            )
            self.fields[f"infant{row}_due_date"] = DateField(
                label=_("%(n)s人目の出産予定日") % {"n": row}, required=False
            )
            self.fields[f"infant{row}_name"] = forms.CharField(
                label=_("%(n)s人目の氏名（任意）") % {"n": row},
                required=False,
                max_length=100,
                widget=TextInput,
            )

    def _residence_fields(self, rules: RuleSet) -> None:
        allowed = [Residence.RESIDENT]
        if rules.eligibility.residence.temporary_return:
            allowed.append(Residence.TEMPORARY_RETURN)
        self.fields["residence"] = forms.ChoiceField(
            label=_("居住の状況"),
            choices=[(r.value, r.label) for r in allowed],
            initial=Residence.RESIDENT,
            widget=forms.RadioSelect,
        )
        if len(allowed) > 1:
            self.fields["home_municipality"] = forms.CharField(
                label=_("住所地の市町村"),
                required=False,
                max_length=50,
                widget=TextInput,
                help_text=_("里帰りの方は必須です。例: 岡山県倉敷市"),
            )

    def _booking_fields(self, rules: RuleSet, facility_choices: list) -> None:
        self.booking_rows: list[list[str]] = []
        if not rules.process.provisional_booking:
            return
        services = [("", _("選択してください"))] + [
            (code, service.name) for code, service in rules.services.items()
        ]
        for row in range(1, BOOKING_ROWS + 1):
            names = [f"booking{row}_{part}" for part in BOOKING_PARTS]
            facility, service, start, end = names
            number = {"n": row}
            self.fields[facility] = _facility_field(
                _("仮予約%(n)sの施設") % number, facility_choices
            )
            self.fields[service] = forms.ChoiceField(
                label=_("仮予約%(n)sのサービス") % number, required=False, choices=services
            )
            self.fields[start] = DateField(label=_("仮予約%(n)sの開始日") % number, required=False)
            self.fields[end] = DateField(label=_("仮予約%(n)sの終了日") % number, required=False)
            self.booking_rows.append(names)

    # --- the groups the template shows -------------------------------------------------------

    def rows(self, names: list[list[str]]) -> list[list[forms.BoundField]]:
        return [[self[name] for name in row] for row in names]

    @property
    def infant_rows(self) -> list[list[forms.BoundField]]:
        parts = ("birth_date", "due_date", "name")
        return self.rows([[f"infant{r}_{p}" for p in parts] for r in range(1, INFANT_ROWS + 1)])

    @property
    def bookings(self) -> list[list[forms.BoundField]]:
        return self.rows(self.booking_rows)

    @property
    def proxy(self) -> list[forms.BoundField]:
        return [self[name] for name in PROXY_FIELDS if name in self.fields]

    @property
    def requested_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.requested_names]

    @property
    def document_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _label in self.document_names]

    # --- checks of what was typed ------------------------------------------------------------

    def clean_postal_code(self) -> str:
        code = self.cleaned_data["postal_code"]
        if code and address_for(code) is None:
            raise forms.ValidationError(_("この郵便番号は見つかりません。"))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for row in range(1, INFANT_ROWS + 1):
            born, due = data.get(f"infant{row}_birth_date"), data.get(f"infant{row}_due_date")
            if data.get(f"infant{row}_name") and not (born or due):
                self.add_error(
                    f"infant{row}_birth_date", _("出生日か出産予定日を入力してください。")
                )
            mother_born = data.get("birth_date")
            if born and mother_born and born <= mother_born:
                self.add_error(
                    f"infant{row}_birth_date", _("乳児の出生日が産婦の生年月日より前です。")
                )
        for names in self.booking_rows:
            values = [data.get(name) for name in names]
            if any(values) and not all(values):
                for name, value in zip(names, values, strict=True):
                    if not value and name not in self.errors:
                        self.add_error(name, _("仮予約の欄をすべて入力してください。"))
        return data

    # --- what the service takes --------------------------------------------------------------

    def receive_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        infants = [
            {
                "name": data[f"infant{r}_name"].strip(),
                "birth_date": data[f"infant{r}_birth_date"],
                "due_date": data[f"infant{r}_due_date"],
            }
            for r in range(1, INFANT_ROWS + 1)
            if data.get(f"infant{r}_birth_date") or data.get(f"infant{r}_due_date")
        ]
        bookings = [
            dict(zip(BOOKING_PARTS, [data[name] for name in row], strict=True))
            | {"facility": self.facilities[data[row[0]]]}
            for row in self.booking_rows
            if data.get(row[0])
        ]
        mother = ("name", "name_kana", "birth_date", "postal_code", "address", "phone")
        return {
            "mother": {name: data[name] for name in mother},
            "infants": infants,
            "office_id": data["office"],
            "channel": data["channel"],
            "submitted_at": received_at(data["submitted_on"]),
            **proxy_arguments(data),
            "residence": data["residence"],
            "home_municipality": (data.get("home_municipality") or "").strip(),
            "requested": {
                name.removeprefix("requested_"): data[name]
                for name in self.requested_names
                if data.get(name)
            },
            "facility_id": data.get("facility"),
            "documents_received": [label for name, label in self.document_names if data[name]],
            "bookings": bookings,
        }
