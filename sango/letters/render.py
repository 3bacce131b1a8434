"""Letters as PDF: Django templates (HTML and CSS, A4) laid out by WeasyPrint.

The Japanese fonts are the system's Noto Serif CJK JP and Noto Sans CJK JP, named in the
stylesheet and embedded (subset) in every PDF. Dates are 和暦, amounts ``12,000円``, the QR code
is vector (segno). Letters are Japanese documents: they are rendered in Japanese whatever the
language of the request that asks for them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation

from sango.applications.models import Decision
from sango.core.errors import ServiceError
from sango.letters.compose import card_for, letter_for
from sango.letters.selectors import voucher_for_card, with_letter_data
from sango.vouchers.models import Voucher


def decision_letter_pdf(decision: Decision) -> bytes:
    """The letter of one decision as a PDF, by its kind:

    - approval: 利用承認通知書兼利用券 (the voucher with its QR code) and the 管理票 page;
    - rejection: 利用不承認通知書 with the reason and the 教示;
    - change: 利用変更承認通知書 with the new grants, period, facility and the voucher block;
    - cancellation: 利用中止決定通知書 (the voucher is void from the day of the decision).

    Load the decision with ``sango.letters.selectors.decision_for_letter``.
    """
    return letters_pdf([decision])


def letters_pdf(decisions: Iterable[Decision]) -> bytes:
    """Several letters as one PDF for batch printing, each starting on a new page, laid out in
    one pass. A queryset is given the selectors' joins and prefetches, so the queries do not
    grow with the number of letters (``decisions_issued_on`` already has them)."""
    if isinstance(decisions, QuerySet):
        decisions = with_letter_data(decisions)
    with translation.override("ja"):
        letters = [letter_for(decision) for decision in decisions]
        html = render_to_string("letters/document.html", {"letters": letters})
    return html_to_pdf(html)


def usage_card_pdf(voucher: Voucher) -> bytes:
    """利用カード on an A4 page: the card (91 × 55 mm, with a cut line) with the holder's name,
    the card number, its QR code, the issue date, the issuing office and the validity, then
    the programme's notices and what to bring to the facility. A card handed out during
    pregnancy has no end date: its validity is the programme's postpartum window."""
    if voucher.kind != Voucher.Kind.USAGE_CARD:
        raise ServiceError("利用カードではありません（利用券は決定通知書に印刷されます）。")
    voucher = voucher_for_card(voucher.pk)
    with translation.override("ja"):
        html = render_to_string("letters/card.html", {"card": card_for(voucher)})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML document with WeasyPrint (imported here: it loads Pango on import)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
