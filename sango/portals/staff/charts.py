"""Charts for the staff office: pygal draws SVG on the server, inlined in the page.

No script and no CDN: pygal's tooltips need its JavaScript from a CDN, so they are off (the
table beside every chart carries the exact figures). No inline style either (the site's
Content-Security-Policy allows none): pygal's ``<style>``, written for one chart's random id, is
taken out of every SVG and served once for all charts as ``stylesheet()``. Each SVG is an
image to assistive technology (``role="img"``) named by its own ``<title>`` and described by
``<desc>``; a chart with nothing to draw says so in the picture and in the description.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

# デジタル庁デザインシステム colours, told apart by lightness too (no colour-only meaning: the
# legend and the table name every series).
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#595959",
    colors=("#0017c1", "#e25100", "#00a3bf", "#7a4f00", "#6b21a8", "#115a36"),
    font_family='"Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif',
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
    no_data_font_size=20,
)
SIZE = {"width": 640, "height": 360}
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')  # only pygal's hidden tooltip has one
CHART_ID = re.compile(r"#chart-[0-9a-f-]{36}")
MOST_SERIES = 12  # colour rules written into the stylesheet (they repeat STYLE.colors)


def _yen(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}円"


def _config(no_data: str) -> dict:
    return {
        "style": STYLE,
        "js": [],  # pygal's default loads its tooltip script from a CDN
        "disable_xml_declaration": True,
        "explicit_size": True,
        "tooltip_border_radius": 0,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "truncate_legend": -1,  # service names are long; the legend shows them whole
        "no_data_text": no_data,
        "print_values": False,
        "show_minor_x_labels": True,
        "margin": 8,
        "margin_bottom": 30,  # pygal leaves a second legend row too little room
        **SIZE,
    }


def _axes(empty: bool) -> dict:
    """An empty chart shows its message alone, without axes that would suggest figures."""
    return {"show_y_labels": False, "show_y_guides": False, "show_x_labels": False} if empty else {}


def whole_steps(top: int) -> list[int]:
    """Y-axis labels for counts: whole numbers from 0 past ``top`` in about five round steps
    (1, 2, 5, 10, 20, 50 …), so that no label repeats."""
    step = 1
    while top / step > 5:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if top / step <= 5:
                break
    return list(range(0, top + step, step))


def _accessible(svg: str, key: str, title: str, description: str) -> SafeString:
    """The SVG with a role, a name and a description, and without pygal's tooltip hooks."""
    ids = f"chart-{key}-title chart-{key}-desc"
    head = (
        f'<title id="chart-{key}-title">{escape(title)}</title>'
        f'<desc id="chart-{key}-desc">{escape(description)}</desc>'
    )
    svg = SCRIPT.sub("", svg)  # pygal's config for its tooltip script, which is not loaded
    svg = STYLE_ATTRIBUTE.sub("", STYLE_BLOCK.sub("", svg))
    svg = re.sub(
        r"<svg\b([^>]*)>",
        lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="{ids}" focusable="false">{head}',
        svg,
        count=1,
    )
    # pygal escapes its labels; the title and description are escaped above.
    return mark_safe(svg)


def stacked_bars(
    *, key: str, title: str, labels: list[str], series: dict[str, list[int]], unit: str
) -> SafeString:
    """Stacked bars, one bar per label (month), one colour per series (service)."""
    empty = not any(any(values) for values in series.values())
    chart = pygal.StackedBar(**_config(_("この年度の記録はありません")), **_axes(empty))
    chart.value_formatter = lambda v: f"{v:,.0f}{unit}"
    if not empty:
        chart.x_labels = labels
        tallest = max(sum(column) for column in zip(*series.values(), strict=True))
        chart.y_labels = whole_steps(tallest)
        for name, values in series.items():
            chart.add(name, values)
    if empty:
        description = _("この年度の記録はありません。")
    else:
        totals = "、".join(f"{name} {sum(v):,}{unit}" for name, v in series.items())
        description = _(
            "月ごとの積み上げ棒グラフ。年度の合計：%(totals)s。数値は隣の表にあります。"
        ) % {"totals": totals}
    return _accessible(chart.render(is_unicode=True), key, title, description)


def lines(
    *,
    key: str,
    title: str,
    labels: list[str],
    series: dict[str, list[int | None]],
    empty: bool,
) -> SafeString:
    """Lines over the months (yen), e.g. cumulative subsidy against the budget."""
    chart = pygal.Line(**_config(_("この年度の記録はありません")), dots_size=3, **_axes(empty))
    chart.value_formatter = _yen
    if not empty:
        chart.x_labels = labels
        for name, values in series.items():
            chart.add(name, values)
    if empty:
        description = _("この年度の記録はありません。")
    else:
        ends = "、".join(f"{name} {_yen(values[-1])}" for name, values in series.items())
        description = _("月ごとの折れ線グラフ。年度末の値：%(ends)s。数値は隣の表にあります。") % {
            "ends": ends
        }
    return _accessible(chart.render(is_unicode=True), key, title, description)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """pygal's CSS for our style, for every chart: its rules, written for one chart's id, are
    rewritten for the class every pygal SVG carries."""
    chart = pygal.Line(**_config(""))
    for n in range(MOST_SERIES):
        chart.add(str(n), [n])
    # In the SVG the CSS is XML text (``.graph &gt; .background``); a stylesheet is not.
    css = unescape("".join(STYLE_BLOCK.findall(chart.render(is_unicode=True))))
    return CHART_ID.sub(".pygal-chart", css)
