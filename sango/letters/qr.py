"""The voucher's QR code, drawn by segno as inline SVG so that it stays vector in the PDF."""

from __future__ import annotations

from functools import lru_cache

import segno
from django.utils.safestring import SafeString, mark_safe


@lru_cache(maxsize=256)
def qr_svg(payload: str) -> SafeString:
    """An ``<svg>`` of ``payload`` at error correction M (kept M, not boosted, so the code's
    density is predictable), with the standard 4-module quiet zone. It has a viewBox and no
    size: the stylesheet gives it its printed size (at least 25 mm square).

    Kept for the payloads drawn last: a voucher's payload never changes, and choosing the
    code's mask costs more than the rest of her voucher page (a few KB each)."""
    code = segno.make(payload, error="m", boost_error=False, micro=False)
    # segno writes the SVG itself from the payload's modules: nothing in it is user markup.
    return mark_safe(code.svg_inline(border=4, omitsize=True, dark="#000", svgclass="qr"))
