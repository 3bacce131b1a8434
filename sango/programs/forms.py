"""Forms of the public programme pages: the day a page describes, and the quote simulator.

The simulator's fields are plain text where people type numbers and dates, so that what they
type (full-width digits, 2026/5/10, 令和8年5月10日, 30,000円) reaches the rules core, which reads
it and names the field at fault. The form only checks what the core cannot: that a choice was
made.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from datetime import date

from django import forms
from django.utils.translation import get_language, gettext, gettext_lazy

from sango.programs.quotes import Choices
from sango.programs.widgets import WIDGET_RENDERER, field_html
from sango.rules.errors import RequestError
from sango.rules.request import parse_date

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
# Thousands separators and the yen sign people add to amounts: 30,000円, ３０，０００円, ¥30,000.
_NUMBER_NOISE = re.compile(r"[,\s円¥￥]")

YES_NO = (("yes", gettext_lazy("はい")), ("no", gettext_lazy("いいえ")))
# Fields shown under "そのほかの条件"; the section opens when one of them holds something.
DETAIL_FIELDS = (
    "start",
    "end",
    "quantity",
    "infants",
    "mother_present",
    "residence",
    "own_patient",
    "needs",
    "exclusions",
)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


class DayForm(forms.Form):
    """``?on=2025-03-31``: the day a programme page describes (default: today)."""

    on = forms.CharField(required=False, max_length=40)

    def clean_on(self) -> date | None:
        text = self.cleaned_data["on"].strip()
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            raise forms.ValidationError(
                gettext("「%(text)s」は日付として読めません。2025-04-01 の形で指定してください。"),
                params={"text": text},
            )
        return day


class TextInput(forms.TextInput):
    """A text field that does not autocomplete or autocorrect what was typed."""

    def __init__(self, placeholder: str = "", numeric: bool = False) -> None:
        attrs = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        if placeholder:
            attrs["placeholder"] = placeholder
        if numeric:
            attrs["inputmode"] = "numeric"
        super().__init__(attrs)


def _text(label, help_text="", placeholder="", *, numeric=False, required=False):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=40,
        widget=TextInput(placeholder, numeric),
    )


class QuoteForm(forms.Form):
    """One use to simulate. ``request_data`` turns it into the rules core's request object."""

    default_renderer = WIDGET_RENDERER

    service = forms.ChoiceField(label=gettext_lazy("サービス"))
    date = _text(
        gettext_lazy("利用日"),
        gettext_lazy("2026-05-10、2026/5/10、令和8年5月10日 のどれでも入力できます。"),
        gettext_lazy("例: 2026-05-10"),
        required=True,
    )
    tier = forms.ChoiceField(label=gettext_lazy("世帯の区分"))
    birth_date = _text(
        gettext_lazy("赤ちゃんの生まれた日"),
        placeholder=gettext_lazy("例: 2026-03-01"),
        required=True,
    )
    facility = forms.ChoiceField(label=gettext_lazy("利用する施設"), required=False)
    fee = _text(
        gettext_lazy("施設の利用料金（1泊・1日・1回あたり、円）"),
        gettext_lazy("施設で案内された料金です。空欄なら施設に登録された料金で計算します。"),
        gettext_lazy("例: 30000"),
        numeric=True,
    )
    start = _text(
        gettext_lazy("開始日時"),
        gettext_lazy(
            "日帰り型の区分を時間で決めるときなどに入力します。時刻だけなら利用日の時刻です。"
        ),
        "2026-05-10 10:00",
    )
    end = _text(gettext_lazy("終了日時"), placeholder="2026-05-10 15:00")
    quantity = _text(
        gettext_lazy("泊数・日数・回数"),
        gettext_lazy("空欄なら1です。開始・終了日時を入力したときは、そこから数えます。"),
        numeric=True,
    )
    infants = _text(
        gettext_lazy("一緒に利用する赤ちゃんの人数"),
        gettext_lazy("双子なら2です。お母さんだけで利用するときは0です。"),
        numeric=True,
    )
    mother_present = forms.ChoiceField(
        label=gettext_lazy("お母さんも一緒に利用しますか"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    residence = forms.ChoiceField(
        label=gettext_lazy("お住まい"), required=False, widget=forms.RadioSelect
    )
    own_patient = forms.ChoiceField(
        label=gettext_lazy("その施設で出産や受診をしましたか"),
        choices=(*YES_NO, ("unknown", gettext_lazy("分からない"))),
        required=False,
        widget=forms.RadioSelect,
    )
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("当てはまる状態"),
        help_text=gettext_lazy("分からなければ空欄のままにしてください。"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exclusions = forms.MultipleChoiceField(
        label=gettext_lazy("当てはまるもの（当てはまると利用できません）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, data=None, *, choices: Choices, municipality: str, name: str, today: date
    ) -> None:
        """``municipality`` is the code sent to the core; ``name`` is shown in the labels."""
        defaults = {"mother_present": "yes", "residence": "resident", "own_patient": "unknown"}
        if data is not None:
            # A post may leave out the radio buttons (no choice sent): they keep their defaults.
            data = data.copy()
            for key, value in defaults.items():
                data.setdefault(key, value)
        self.prepared = prepared_fields(choices, name)
        # Django deep-copies ``base_fields`` for every form; these are shared (see QuoteFields).
        self.base_fields = self.prepared.fields
        super().__init__(data, initial={"date": today.isoformat(), "infants": "1", **defaults})
        self.used_fields = self.prepared.used_fields
        self.municipality = municipality

    @staticmethod
    def day_hint(data, today: date) -> date:
        """The day whose version offers the choices: the typed date if readable, else today."""
        return parse_date(str(data.get("date") or "")) or today

    @property
    def used_boundfields(self) -> list[forms.BoundField]:
        """One field per cap: what was used before this use, in the cap's unit."""
        return [self[name] for name in self.used_fields]

    @property
    def details_open(self) -> bool:
        """Whether "そのほかの条件" should show open: it holds an error or a non-default value."""
        if not self.is_bound:
            return False
        for name in (*DETAIL_FIELDS, *self.used_fields):
            if name not in self.fields:
                continue
            if self[name].errors:
                return True
            value = self[name].value()
            if value not in (None, "", [], self.initial.get(name)):
                return True
        return False

    def request_data(self) -> dict:
        """The request object for ``request_from_dict``; values stay as typed (normalised)."""
        d = self.cleaned_data
        data: dict = {
            "municipality": self.municipality,
            "service": d["service"],
            "tier": d["tier"],
            "birth_date": d["birth_date"],
            "mother_present": d.get("mother_present") != "no",
            "residence": d.get("residence") or "resident",
        }
        if d.get("date"):
            data["date"] = d["date"]
        start, end = _moment(d.get("start"), d.get("date")), _moment(d.get("end"), d.get("date"))
        if start is not False and end is not False:
            data.update({k: v for k, v in (("start", start), ("end", end)) if v})
        for name in ("quantity", "fee", "infants"):
            if number := _number(d.get(name)):
                data[name] = number
        if d.get("facility"):
            data["facility"] = d["facility"]
        used = {name[5:]: _number(d.get(name)) for name in self.used_fields}
        if used := {code: n for code, n in used.items() if n}:
            data["used"] = used
        if d.get("exclusions"):
            data["exclusions"] = list(d["exclusions"])
        if d.get("needs"):
            data["needs"] = list(d["needs"])
        if d.get("own_patient") in ("yes", "no"):
            data["own_patient"] = d["own_patient"] == "yes"
        return data

    def add_request_error(self, error: RequestError) -> None:
        """Show the core's message next to the field it names (``used.stay`` → ``used_stay``)."""
        name = error.field.replace("used.", "used_", 1)
        self.add_error(name if name in self.fields else None, error.message)

    def field_html(self, name: str) -> str:
        """Field ``name`` as HTML (``widgets.field_html``). A field that shows no error and holds
        nothing typed (it is empty, or set to one of its choices) looks the same for everyone:
        its HTML is kept with the shared fields."""
        bound = self[name]
        key = self._kept_key(bound)
        if key is None:
            return field_html(bound)
        kept = self.prepared.rendered
        html = kept.get(key)
        if html is None:
            html = kept[key] = field_html(bound)
        return html

    def _kept_key(self, bound: forms.BoundField) -> tuple | None:
        name = bound.name
        if bound.errors:
            return None
        value = bound.value()
        if value is None or value == "" or value == []:
            return (name, None)
        allowed = self.prepared.choice_values.get(name)
        if allowed is None:
            return None
        if isinstance(value, str):
            return (name, value) if value in allowed else None
        values = tuple(value)
        return (name, values) if set(values) <= allowed else None


class _Built(dict):
    """Fields that are never changed once built: a form's "deep copy" of them is a plain dict."""

    def __deepcopy__(self, memo: dict) -> dict:
        return dict(self)


class QuoteFields:
    """The simulator's fields for one set of choices and municipality name, in one language.

    Built once and shared by every form on the same choices (``prepared_fields``): copying
    twenty fields with their choices for each request was a sixth of the page's time. Nothing
    changes a field after this (choices, labels and messages are set here), so sharing them
    is safe. ``rendered`` keeps the HTML of fields that look the same for everyone.
    """

    def __init__(self, choices: Choices, name: str) -> None:
        fields = copy.deepcopy(QuoteForm.base_fields)
        fields["date"].error_messages["required"] = gettext("利用日を入力してください。")
        fields["birth_date"].error_messages["required"] = gettext(
            "赤ちゃんの生まれた日を入力してください。"
        )
        fields["service"].error_messages["required"] = gettext("サービスを選んでください。")
        fields["tier"].error_messages["required"] = gettext("世帯の区分を選んでください。")
        pick = [("", gettext("選んでください"))]
        fields["service"].choices = [*pick, *choices.services]
        fields["tier"].choices = [*pick, *choices.tiers]
        fields["facility"].choices = [("", gettext("指定しない")), *choices.facilities]
        fields["residence"].choices = [
            ("resident", gettext("%(name)sに住んでいる") % {"name": name}),
            ("temporary_return", gettext("里帰りで一時的に%(name)sにいる") % {"name": name}),
            ("non_resident", gettext("%(name)sに住んでいない") % {"name": name}),
        ]
        fields["needs"].choices = choices.needs
        fields["exclusions"].choices = choices.exclusions
        self.used_fields: list[str] = []
        for code, label in choices.caps:
            fields[f"used_{code}"] = _text(
                gettext("%(cap)s これまでの利用") % {"cap": label}, numeric=True
            )
            self.used_fields.append(f"used_{code}")
        if not choices.needs:
            del fields["needs"]
        if not choices.exclusions:
            del fields["exclusions"]
        _translate_now(fields)
        self.fields = _Built(fields)
        self.choice_values = {
            name: frozenset(str(value) for value, _ in field.choices)
            for name, field in fields.items()
            if isinstance(field, forms.ChoiceField)
        }
        self.rendered: dict[tuple, str] = {}


_prepared: dict[tuple, tuple[Choices, QuoteFields]] = {}


def prepared_fields(choices: Choices, name: str) -> QuoteFields:
    """The fields for ``choices`` (the same object, as ``cache.quote_choices`` returns it)."""
    key = (id(choices), name, get_language())
    found = _prepared.get(key)
    if found is None or found[0] is not choices:
        if len(_prepared) >= 64:
            _prepared.clear()  # only when many programmes, days or registries were asked for
        found = _prepared[key] = (choices, QuoteFields(choices, name))
    return found[1]


def _translate_now(fields: dict[str, forms.Field]) -> None:
    """Labels, help texts, placeholders and yes/no choices as text in the active language.

    They are lazy translations, and rendering one translates it again at every use: a few
    hundred lookups per simulator page.
    """
    for field in fields.values():
        field.label = str(field.label)
        field.help_text = str(field.help_text)
        if "placeholder" in field.widget.attrs:
            field.widget.attrs["placeholder"] = str(field.widget.attrs["placeholder"])
        if isinstance(field, forms.ChoiceField) and isinstance(field.widget, forms.RadioSelect):
            field.choices = [(value, str(label)) for value, label in field.choices]


def _number(text: str | None) -> str | None:
    """A typed amount without separators or 円; the core reads full-width digits itself."""
    if not text:
        return None
    return _NUMBER_NOISE.sub("", _normal(text)) or None


def _moment(text: str | None, day_text: str | None) -> str | bool | None:
    """A date and time as typed; a time alone (10:00) is on the day of use.

    Returns False when only a time was typed and the day is unreadable: the request then goes
    without start and end, so that the core reports the date, the real mistake.
    """
    if not text:
        return None
    match = _TIME.match(_normal(text))
    if not match:
        return text
    day = parse_date(day_text or "")
    if day is None:
        return False
    return f"{day.isoformat()}T{int(match[1]):02d}:{match[2]}"
