"""The pre-filled 申請書: 熊本市 before 令和6年4月 took applications at the ward offices, by post
and by proxy; its form carries the programme's name, her details, the proxy's part and the
documents to attach, read back from the PDF."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from sango.core.tests import factories as f
from sango.letters.application_form import application_form_pdf
from sango.programs.rules_for import program_for

pytestmark = pytest.mark.django_db


def test_kumamoto_form_before_the_usage_cards():
    f.load_programmes()
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2023, 5, 1))
    program = program_for(f.KUMAMOTO)
    rules = program.version_on(date(2023, 6, 1))
    pdf = application_form_pdf(mother=mother, rules=rules, program=program)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "熊本市産後ケア事業利用申請書" in text
    assert mother.name.replace(" ", "") in text
    assert "令和5年5月1日" in text  # the baby's birth date in 和暦
    assert "代理人" in text and "代理の方の身分証" in text
    assert "世帯調書及び同意書" in text
    assert "転入された方で、非課税世帯の場合のみ" in text
    assert "熊本市役所" in text or "区役所" in text  # the ward offices that take it
