"""Reading a letter back: text per page (pypdf), embedded fonts, and the QR code on a page
rendered to an image (pypdfium2) and decoded by a real decoder (zxing-cpp)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2
import zxingcpp
from pypdf import PdfReader

CHECK_DIR = Path(__file__).resolve().parents[3] / "var" / "letters-check"


def save(pdf: bytes, name: str) -> Path:
    """Keep the PDF in var/letters-check/ for a person to look at."""
    CHECK_DIR.mkdir(parents=True, exist_ok=True)
    path = CHECK_DIR / f"{name}.pdf"
    path.write_bytes(pdf)
    return path


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text without whitespace (layout puts spaces and breaks anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", "", page.extract_text() or "") for page in reader.pages]


def fonts(pdf: bytes, page: int = 0) -> dict[str, bool]:
    """The fonts of a page by base name → whether the font program is embedded."""
    reader = PdfReader(io.BytesIO(pdf))
    found = {}
    for font in reader.pages[page]["/Resources"]["/Font"].values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        described = descendants[0].get_object() if descendants else font
        descriptor = described["/FontDescriptor"].get_object()
        found[str(font["/BaseFont"])] = any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
    return found


def qr_codes(pdf: bytes, page: int = 0, dpi: int = 200) -> list[str]:
    """The text of every QR code found on ``page`` printed at ``dpi``."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    return [
        found.text
        for found in zxingcpp.read_barcodes(image)
        if found.format == zxingcpp.BarcodeFormat.QRCode
    ]


def text_at(pdf: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """Each run of text with the position of its start on the page: (text, mm from the left
    edge, mm from the top edge to the baseline)."""
    reader = PdfReader(io.BytesIO(pdf))
    height = float(reader.pages[page].mediabox.height)
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, *_):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            found.append((text.strip(), x * 25.4 / 72, (height - y) * 25.4 / 72))

    reader.pages[page].extract_text(visitor_text=visit)
    return found
