"""領収書, read back as the mother would: who received how much from whom, for which care, with
the municipality's share apart from what she paid; A5, Japanese, numbered by the use."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.core.wareki import wareki
from sango.letters.receipt import receipt_pdf
from sango.letters.tests.reading import fonts, pages_text, save
from sango.usage.models import Use
from sango.usage.services import use_record, use_void

A5_POINTS = (419.5, 595.3)  # 148 × 210 mm


def recorded_use(**overrides) -> Use:
    mother = f.mother_with_baby(born=f.days_ago(30))
    application = f.approved_application(mother=mother, grants={"stay": 3})
    staff = f.facility_staff("kaneko-josanin")
    use = use_record(
        voucher_id=f.voucher_for(application).pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key="receipt-test",
        service="stay",
        day=f.days_ago(3),
        quantity=2,
        fee=30000,
        extras=2500,
        **overrides,
    )
    return Use.objects.select_related("voucher__mother", "facility", "municipality").get(pk=use.pk)


def test_the_receipt_shows_what_the_mother_paid_and_what_the_city_pays():
    use = recorded_use()
    pdf = receipt_pdf(use)
    save(pdf, "receipt")
    (page,) = pages_text(pdf)
    # 総社市, taxable: the city pays 17,000円 a night of the 30,000円 fee.
    assert use.subsidy == 34000 and use.copay == 26000
    for text in (
        "領収書",
        f"領収書番号{use.pk}",
        f"{use.voucher.mother.name.replace(' ', '')}様",
        "かねこ助産院",
        "倉敷市広江8-18-1",
        f"{wareki(use.day)}〜{wareki(use.day + timedelta(days=2))}",
        "短期入所（ショートステイ）型",
        "2泊",
        "60,000円（単価30,000円）",
        "総社市の負担額34,000円",
        "自己負担額26,000円",
        "対象外の費用（食事代など）2,500円",
        "領収金額28,500円",
    ):
        assert text in page, text


def test_the_receipt_is_an_a5_page_with_its_fonts_embedded():
    pdf = receipt_pdf(recorded_use())
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == A5_POINTS
    assert all(fonts(pdf).values())


def test_a_voided_use_has_no_receipt():
    use = recorded_use()
    use_void(use=use, actor=f.facility_staff("kaneko-josanin"), reason="二重に記録したため")
    use.refresh_from_db()
    with pytest.raises(ServiceError, match="取り消された利用の領収書"):
        receipt_pdf(use)
