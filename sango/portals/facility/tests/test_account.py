"""振込先口座 in the facility portal: the facility hands in its account (or a change), it waits
for the municipality's confirmation, and a wrong code or name is refused on its field."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sango.audit.models import AuditEvent
from sango.banking.models import BankAccount
from sango.core.tests import factories as f

URL = reverse("facility:account")
ACCOUNT = {
    "bank_code": "0168",
    "branch_code": "191",
    "kind": "1",
    "number": "7654321",
    "holder": "カネコ ジヨサンイン",
}


def once(page) -> str:
    return re.search(r'name="once" value="([^"]+)"', page.content.decode())[1]


def test_the_facility_hands_in_its_account_and_it_waits_for_the_city(client_for, kaneko):
    client = client_for(kaneko)
    assert "まだ届け出ていません" in client.get(URL).content.decode()
    values = {"once": once(client.get(URL)), **ACCOUNT}
    page = client.post(URL, values, follow=True)
    client.post(URL, values)  # a double tap: one account
    text = page.content.decode()
    assert "口座を届け出ました" in text and "市町村の確認待ち" in text and "中国銀行" in text
    account = BankAccount.objects.get(facility=kaneko.facility)
    assert (account.holder, account.confirmed_at) == ("ｶﾈｺ ｼﾞﾖｻﾝｲﾝ", None)
    event = AuditEvent.objects.get(action="bank_account.register")
    assert "7654321" not in str(event.after) and "ｶﾈｺ" not in str(event.after)
    staff_page = client_for(f.clerk()).get(reverse("staff:payment_facilities")).content.decode()
    assert "未確認" in staff_page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bank_code": "9998"}, "bank_code", "金融機関コード 9998 の金融機関は見つかりません"),
        ({"holder": "かねこ助産院"}, "holder", "「助」、「産」、「院」は口座名義に使えません"),
    ],
)
def test_what_cannot_be_paid_is_refused_on_its_field(client_for, kaneko, changes, field, message):
    client = client_for(kaneko)
    values = {"once": once(client.get(URL)), **ACCOUNT, **changes}
    text = client.post(URL, values).content.decode()
    assert message in text
    assert f'id="id_{field}_error"' in text
    assert f'value="{values[field]}"' in text
    assert not BankAccount.objects.exists()


def test_access(client_for):
    anonymous = client_for(None).get(URL)
    assert anonymous.status_code == 302 and "/facility/login/" in anonymous.url
    assert client_for(f.clerk()).get(URL).status_code == 403
    assert client_for(f.mother_user()).get(URL).status_code == 403


def test_another_facility_sees_only_its_own(client_for, kaneko, kunitomi):
    client = client_for(kaneko)
    client.post(URL, {"once": once(client.get(URL)), **ACCOUNT})
    assert "まだ届け出ていません" in client_for(kunitomi).get(URL).content.decode()


@pytest.mark.browser
def test_the_account_page_in_a_browser(facility_page, kaneko, assert_accessible, screenshot):
    page = facility_page(kaneko)
    page.get_by_role("link", name="委託料請求").click()
    page.get_by_role("link", name="委託料の振込先口座（届出・変更）").click()
    page.wait_for_url("**/facility/account/")
    assert_accessible(page)
    page.get_by_label("金融機関コード（4けた）").fill("0168")
    page.get_by_label("支店コード（3けた）").fill("999")
    page.get_by_label("口座番号（7けたまで）").fill("7654321")
    page.get_by_label("口座名義（カナ）").fill("かねこ じよさんいん")
    page.get_by_role("button", name="口座を届け出る").click()
    page.wait_for_selector(".error-summary")
    assert "中国銀行に支店コード 999 の支店は見つかりません" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_label("支店コード（3けた）").fill("191")
    page.get_by_role("button", name="口座を届け出る").click()
    page.wait_for_selector("text=口座を届け出ました")
    assert "市町村の確認待ち" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "facility-account")
