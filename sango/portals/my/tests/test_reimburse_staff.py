"""A claim sent from マイページ in the staff office: the receipt photos (served only to her
municipality's staff), the account with its bank's and branch's names, the amount approval
would pay, and the account confirmed."""

from __future__ import annotations

import pytest

from sango.core.tests import factories as f
from sango.portals.my.tests.test_reimburse import claim_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(new_mother):
    return claim_sent(new_mother(born=f.days_ago(30)))


def test_the_claim_shows_its_receipt_account_and_the_amount_approval_would_pay(client_for, claim):
    page = client_for(f.approver()).get(f"/staff/reimbursements/{claim.pk}/").content.decode()
    upload = claim.uploads.get()
    assert f'src="/staff/uploads/{upload.pk}/"' in page
    assert "中国銀行（0168）" in page and "総社（191）" in page and "0012345" in page
    assert "ｿｳｼﾞﾔ ﾊﾅｺ" in page and "未確認" in page
    assert "34,000円" in page  # 2 nights × 17,000 (上記以外の方), below the 50,000 paid
    assert claim.reference in page


def test_the_receipt_is_served_to_her_municipalitys_staff_only(client_for, claim):
    upload = claim.uploads.get()
    url = f"/staff/uploads/{upload.pk}/"
    response = client_for(f.clerk()).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client_for(f.clerk(f.KUMAMOTO)).get(url).status_code == 404
    assert client_for(f.facility_staff("kaneko-josanin")).get(url).status_code == 403


def test_staff_confirm_the_account_once(client_for, claim):
    clerk = client_for(f.clerk())
    url = f"/staff/reimbursements/{claim.pk}/"
    page = clerk.get(url).content.decode()
    token = page.split('name="once" value="')[-1].split('"')[0]
    clerk.post(url, {"action": "confirm_account", "once": token})
    clerk.post(url, {"action": "confirm_account", "once": token})
    claim.bank_account.refresh_from_db()
    assert claim.bank_account.confirmed_at is not None
    assert "確認済み" in clerk.get(url).content.decode()
