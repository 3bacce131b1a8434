"""Writing an export ``Table`` as a file Excel opens with the Japanese intact.

- ``csv_utf8``: UTF-8 with a BOM (Excel reads a BOM-less CSV as Shift_JIS) and CRLF line ends;
- ``csv_cp932``: Shift_JIS as Windows writes it (CP932), for older Excel and other office
  software. A character CP932 cannot carry becomes 〓 (the geta mark, as on Japanese printouts
  of 外字), visibly and never an error; the usual look-alikes are first mapped to the form CP932
  has, so that nothing is replaced needlessly;
- ``xlsx``: one sheet, bold frozen header row, autofilter, columns sized for Japanese text; dates
  and yen as real date and number cells.

Dates are ISO (2026-04-01) by house rule. A text cell that a spreadsheet would take for a formula
(= + - @, tab, CR) is neutralised: a leading apostrophe in CSV, a text cell in XLSX. A table's
rows may be an iterator: write each table once.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from itertools import chain, islice
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sango.reports.exports import Month, Table

GETA = "\u3013"  # 〓
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONTH_FORMAT = 'yyyy"年"m"月"'
YEN_FORMAT = "#,##0"

# Characters other software writes for what CP932 has under another code point (the
# "wave dash problem"); Python's cp932 codec refuses some of them (U+2014, U+00A5 ...) and maps
# others one way only, so every one is mapped here explicitly.
CP932_LOOKALIKES = str.maketrans(
    {
        "\u301c": "\uff5e",  # 〜 WAVE DASH → ～
        "\u2212": "\uff0d",  # − MINUS SIGN → －
        "\u00a2": "\uffe0",  # ¢ → ￠
        "\u00a3": "\uffe1",  # £ → ￡
        "\u00ac": "\uffe2",  # ¬ → ￢
        "\u2016": "\u2225",  # ‖ DOUBLE VERTICAL LINE → ∥
        "\u2014": "\u2015",  # — EM DASH → ― HORIZONTAL BAR
        "\u2013": "\uff0d",  # – EN DASH → －
        "\u2011": "\u2010",  # non-breaking hyphen → ‐
        "\u00a5": "\uffe5",  # ¥ → ￥
        "\u203e": "\uffe3",  # ‾ OVERLINE → ￣
        "\u00a6": "\uffe4",  # ¦ → ￤
        "\u00b7": "\u30fb",  # · MIDDLE DOT → ・
        "\u00a0": " ",  # no-break space
    }
)
# Variation selectors only choose a glyph (葛 and its IVS forms); CP932 has the base character.
VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _geta(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return GETA * (error.end - error.start), error.end


codecs.register_error("sango.geta", _geta)


# --- CSV ------------------------------------------------------------------------------------


def csv_text(value: Any) -> str:
    """A cell as CSV text: ISO dates, 2026年4月 for a month, digits for yen, empty for None;
    text that would start a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, Month):
        return value.label()
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def _csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([csv_text(v) for v in row])
    return out.getvalue()


def csv_utf8(table: Table) -> bytes:
    """UTF-8 with a BOM and CRLF line ends (what Excel needs to read UTF-8)."""
    return codecs.BOM_UTF8 + _csv(table).encode("utf-8", errors="sango.geta")


def cp932_safe(text: str) -> str:
    """``text`` with look-alikes mapped to their CP932 forms and variation selectors dropped;
    what remains outside CP932 is left for the encoder to replace with 〓."""
    return VARIATION_SELECTORS.sub("", text.translate(CP932_LOOKALIKES))


def csv_cp932(table: Table) -> bytes:
    """CP932 (Windows Shift_JIS) and CRLF; never raises: what CP932 lacks becomes 〓."""
    return cp932_safe(_csv(table)).encode("cp932", errors="sango.geta")


# --- XLSX -----------------------------------------------------------------------------------

SAMPLE_ROWS = 200  # rows read ahead to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60


def display_width(text: str) -> int:
    """Columns ``text`` takes in a Japanese spreadsheet font: full-width and ambiguous
    characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def _cell_width(value: Any) -> int:
    if isinstance(value, Month):
        return display_width(value.label())
    if isinstance(value, int) and not isinstance(value, bool):
        return len(f"{value:,}")
    return display_width(csv_text(value))


def _widths(headers: list[str], sample: list[list[Any]]) -> list[int]:
    """Per column: the widest of the header (plus room for the filter button) and the sample."""
    widths = [display_width(h) + 3 for h in headers]
    for row in sample:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], _cell_width(value) + 1)
    return [min(max(w, MIN_WIDTH), MAX_WIDTH) for w in widths]


def _xlsx_cell(sheet: Worksheet, value: Any, *, money: bool) -> WriteOnlyCell | Any:
    """A cell of the right type: a date cell in ISO form, yen with separators, text as text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # and so would Excel, once the cell is edited
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, Month):
        cell.number_format = MONTH_FORMAT
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif money:
        cell.number_format = YEN_FORMAT
    return cell


def _sheet_title(title: str) -> str:
    """Excel's limits: 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet1"


def xlsx(table: Table) -> bytes:
    """One sheet named after the table; the header row bold, frozen and filtered."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.title))
    rows: Iterator[list[Any]] = iter(table.rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    for i, width in enumerate(_widths(table.headers, sample), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in table.headers:
        cell = _xlsx_cell(sheet, text, money=False)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    money = [h in table.money for h in table.headers]
    count = 0
    for row in chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, v, money=m) for v, m in zip(row, money, strict=False)])
        count += 1
    last = get_column_letter(max(len(table.headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- what a view needs around the bytes -----------------------------------------------------

FORMATS = {
    # fmt: (writer, file name ending, Content-Type)
    "csv": (csv_utf8, ".csv", "text/csv; charset=utf-8"),
    "csv_cp932": (csv_cp932, "_sjis.csv", "text/csv; charset=Windows-31J"),
    "xlsx": (
        xlsx,
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def render(table: Table, fmt: str) -> bytes:
    """``table`` written as ``fmt`` (a key of ``FORMATS``); KeyError for another."""
    return FORMATS[fmt][0](table)


def content_type(fmt: str) -> str:
    return FORMATS[fmt][2]


def _range_part(date_from: date | None, date_to: date | None) -> str:
    if date_from and date_to:
        return f"{date_from.isoformat()}_{date_to.isoformat()}"
    if date_from:
        return f"from_{date_from.isoformat()}"
    if date_to:
        return f"until_{date_to.isoformat()}"
    return "all"


def filename(table: Table, fmt: str, date_from: date | None, date_to: date | None) -> str:
    """An ASCII file name: ``applications_2026-04-01_2026-04-30.csv`` (both dates inclusive),
    ``uses_from_2026-04-01.xlsx``, ``claims_all_sjis.csv``."""
    return f"{table.name}_{_range_part(date_from, date_to)}{FORMATS[fmt][1]}"


def filename_japanese(table: Table, fmt: str, date_from: date | None, date_to: date | None) -> str:
    """The same name with the Japanese title: ``利用申請_2026-04-01_2026-04-30.csv``."""
    return f"{table.title}_{_range_part(date_from, date_to)}{FORMATS[fmt][1]}"


def content_disposition(name_ascii: str, name_japanese: str | None = None) -> str:
    """An ``attachment`` header (RFC 6266): the ASCII name for every client and, when given,
    the Japanese one as ``filename*`` in UTF-8 (RFC 5987), which current browsers prefer."""
    fallback = re.sub(r'[^\x20-\x7e]|["\\]', "_", name_ascii)
    value = f'attachment; filename="{fallback}"'
    if name_japanese:
        value += f"; filename*=UTF-8''{quote(name_japanese, safe='')}"
    return value
