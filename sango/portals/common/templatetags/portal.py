"""What every portal page shows the same way: 和暦 dates with the 西暦 beside them, yen, and the
programme's own names for codes (services, caps, tiers) — never a raw code."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from sango.core.wareki import wareki
from sango.programs.rules_for import tier_name as programme_tier_name
from sango.programs.templatetags.programmes import english, jdate, unit_name, yen

register = template.Library()
register.filter("yen", yen)
register.filter("unit_name", unit_name)


@register.filter
def day(value: date | datetime | None) -> str:
    """``<time>`` with 和暦 shown and the ISO date in ``datetime`` and on hover (title)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return format_html(
        '<time datetime="{0}" title="{0}">{1}</time>', value.isoformat(), jdate(value)
    )


@register.filter
def day_both(value: date | datetime | None) -> str:
    """和暦 with the 西暦 beside it: 令和8年4月1日（2026-04-01）, for letters' dates on screen."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if english():
        return jdate(value)
    return format_html(
        '<time datetime="{0}">{1}<span class="iso">（{0}）</span></time>',
        value.isoformat(),
        wareki(value),
    )


@register.filter
def moment(value: datetime | None) -> str:
    """A date and time: 令和8年4月1日 10:30."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{0}" title="{1}">{2} {3}</time>',
        local.isoformat(),
        local.date().isoformat(),
        jdate(local.date()),
        local.strftime("%H:%M"),
    )


@register.filter
def tier_name(obj) -> str:
    """The tier of an application or voucher as its programme names it (上記以外の方)."""
    if not getattr(obj, "tier", ""):
        return "—"
    return programme_tier_name(obj.municipality.code, obj.tier)


@register.filter
def described(field) -> str:
    """The field's input with ``aria-describedby`` naming its help text and its error, so that
    a screen reader reads both when the input takes the focus (``portals/_field.html``)."""
    ids = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return field.as_widget(attrs={"aria-describedby": " ".join(ids)} if ids else None)


@register.filter
def lookup(mapping, key):
    """``mapping[key]`` in a template, '' when missing."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def month(value: date | None) -> str:
    """A calendar month as ``<time>``: 令和8年11月 (``November 2026`` in English), ISO on hover."""
    if value is None or value == "":
        return "—"
    label = value.strftime("%B %Y") if english() else wareki(value, month_only=True)
    return format_html('<time datetime="{0}" title="{0}">{1}</time>', f"{value:%Y-%m}", label)
