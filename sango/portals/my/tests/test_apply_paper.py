"""Where the programme takes applications only at the counter or by post (総社市), the apply
page says so in the programme's words and offers a pre-filled 申請書 PDF; where it works with
usage cards (熊本市 from 令和6年4月), no application is needed."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from sango.core.tests import factories as f

pytestmark = pytest.mark.django_db


def test_soja_says_apply_at_the_office_with_its_address_and_notices(client_for, new_mother):
    mother = new_mother()
    html = client_for(mother.user).get("/my/apply/").content.decode()
    assert "オンラインでの申請は受け付けていません" in html
    assert "窓口で申請する" in html and "郵送で申請する" not in html
    assert "総社市産後ケア事業利用申請書" in html  # named after its change form
    assert "0866-92-8261" in html or "92-8261" in html  # こども課's phone from the document
    assert "聞き取り調査の結果、不承認となる場合があります。" in html


def test_the_pre_filled_form_reads_back_with_her_details(client_for, new_mother):
    mother = new_mother(twins=True)
    response = client_for(mother.user).get("/my/apply/form.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "総社市産後ケア事業利用申請書" in text
    assert mother.name.replace(" ", "") in text and mother.name_kana.replace(" ", "") in text
    assert "平成6年5月20日" in text
    assert "乳児1" in text and "乳児2" in text  # twins
    assert "申請者の署名" in text  # a blank for her hand
    assert "総社市長様" in text


def test_a_programme_with_the_form_in_its_documents_uses_that_name(client_for, new_mother):
    with f.with_test_programmes():
        from sango.applications.online import application_form_name
        from sango.programs.rules_for import rules_on

        rules = rules_on(f.YURIKAGO, f.days_ago(0))
        assert application_form_name(rules, "ゆりかご市") == "ゆりかご市産後ケア事業利用申請書"


def test_kumamoto_usage_card_needs_no_application(client_for, new_mother):
    mother = new_mother(code=f.KUMAMOTO)
    client = client_for(mother.user)
    html = client.get("/my/apply/").content.decode()
    assert "申請は不要です" in html
    assert "事前の申請は不要です。" in html  # the programme's own notice
    assert client.get("/my/apply/form.pdf").status_code == 302
    assert client.get("/my/apply/who/").status_code == 302
