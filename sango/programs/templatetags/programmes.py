"""Filters for the programme pages: yen, 和暦, postpartum windows, units, telephone links.

Formatting follows the active language: Japanese shows ``12,000円`` and ``令和7年4月1日``;
English shows ``¥12,000`` and ``1 April 2025``. Document contents stay as written.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from sango.core.wareki import wareki
from sango.programs.widgets import esc
from sango.rules import schema as s
from sango.rules.messages import UNIT_NAMES
from sango.rules.program import Program
from sango.rules.windows import Window

register = template.Library()


def english() -> bool:
    """Whether the page is being rendered in English."""
    return (get_language() or "ja").startswith("en")


@register.filter
def yen(amount: int | None) -> str:
    """Integer yen with thousands separators: ``12,000円``; ``—`` when unknown."""
    if amount is None or amount == "":
        return "—"
    return gettext("%(amount)s円") % {"amount": f"{int(amount):,}"}


@register.filter
def jdate(day: date | None) -> str:
    """A date as people read it: 和暦 in Japanese (令和7年4月1日), ``1 April 2025`` in English."""
    if day is None:
        return ""
    if english():
        return f"{day.day} {calendar.month_name[day.month]} {day.year}"
    return wareki(day)


@register.filter
def window_label(window: Window | None) -> str:
    """A postpartum window in the leaflets' words (産後3か月以内), or English."""
    if window is None:
        return ""
    return window.label_en() if english() else window.label()


@register.filter
def unit_name(unit: str) -> str:
    """泊・日・回・時間 (nights, days, visits ...) for a unit code."""
    ja, en = UNIT_NAMES.get(unit, (unit, unit))
    return en if english() else ja


@register.filter
def duration(value: s.Duration) -> str:
    """A sub-type's length of care: ``2時間を超え3時間以下``."""
    over, up_to = value.over_hours, value.up_to_hours
    if over is not None and up_to is not None:
        return gettext("%(over)s時間を超え%(up_to)s時間以下") % {
            "over": f"{over:g}",
            "up_to": f"{up_to:g}",
        }
    if over is not None:
        return gettext("%(over)s時間を超える") % {"over": f"{over:g}"}
    if up_to is not None:
        return gettext("%(up_to)s時間以下") % {"up_to": f"{up_to:g}"}
    return ""


@register.filter
def tel(phone: str | None) -> str:
    """A ``tel:`` link target: the digits of ``(0866) 92-8261`` → ``tel:0866928261``."""
    return "tel:" + re.sub(r"\D", "", phone or "")


@register.filter
def source(ref: str | None, program: Program) -> str:
    """A reference (``leaflet: ☆利用できる方``) as the source's title and the detail."""
    return program.source_title(ref)


@register.filter
def explanation_items(lines: Iterable) -> SafeString:
    """The lines of a result's "計算の根拠" as ``<li>`` items: the rule, what it found, and the
    source. Written here because a result has a dozen such lines and the template engine's
    loop cost more than the rest of the result card."""
    source = esc(gettext("出典"))
    return mark_safe(
        "\n".join(
            f"<li><strong>{esc(line.rule)}</strong>: {esc(line.detail)}"
            + (
                f'<br><span class="muted">{source}: {esc(line.source)}</span>'
                if line.source
                else ""
            )
            + "</li>"
            for line in lines
        )
    )


def sentence(translated: str, **values: object) -> SafeString:
    """A translated sentence with its values put in, escaped as ``{% blocktranslate %}`` does:
    ``sentence(gettext("料金 %(fee)s"), fee=yen(fee))``. For sentences built in Python."""
    return mark_safe(translated % {name: conditional_escape(v) for name, v in values.items()})


_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_PLAIN_YEN = re.compile(r"(?<![\d,])(\d{4,})円")


def humanise(text: str) -> str:
    """The rules core's sentences as people read them: ISO dates as 和暦, yen with separators."""
    text = _ISO_DATE.sub(lambda m: jdate(date(int(m[1]), int(m[2]), int(m[3]))), text)
    return _PLAIN_YEN.sub(lambda m: f"{int(m[1]):,}円", text)
