"""The approver's afternoon in a real browser at office size: approve an interviewed
application through the confirmation step, then review a facility's claim and approve it."""

from __future__ import annotations

import pytest

from sango.applications.models import Application
from sango.billing.models import FacilityClaim
from sango.core.tests import factories as f
from sango.portals.staff.tests.test_decisions import submitted_claim

pytestmark = pytest.mark.browser


def test_an_approver_approves_and_reviews_a_claim(
    staff_page, clerk, boss, assert_accessible, screenshot
):
    mother = f.mother_with_baby(born=f.days_ago(30))
    application = f.interviewed_application(mother=mother, staff=clerk)
    claim = submitted_claim(clerk, boss, lines=3)
    page = staff_page(boss)

    page.goto(f"{page.live_url}/staff/cases/{application.pk}/")
    page.get_by_role("link", name="承認する").click()
    page.get_by_role("heading", name="承認する").wait_for()
    assert page.get_by_label("短期入所（ショートステイ）型（泊）").input_value() == "7"
    page.get_by_label("短期入所（ショートステイ）型（泊）").fill("３")
    page.get_by_label("通所（デイサービス）型（日）").fill("")
    assert_accessible(page)
    screenshot(page, "staff-approve-form")
    page.get_by_role("button", name="確認へ進む").click()

    page.get_by_role(
        "heading", name="次の内容で承認し、利用承認通知書兼利用券を発行します"
    ).wait_for()
    assert "3泊" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "staff-approve-confirm")
    page.get_by_role("button", name="承認して通知書を発行する").click()

    page.wait_for_url(f"{page.live_url}/staff/cases/{application.pk}/")
    assert page.get_by_role("link", name="通知書（").first.is_visible()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    page.locator("nav").get_by_role("link", name="委託料請求").click()
    page.get_by_role("heading", name="委託料請求").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="かねこ助産院").click()
    page.get_by_role("button", name="審査結果を保存する").wait_for()
    page.get_by_label("明細1の審査").select_option(label="承認")
    page.get_by_label("明細2の審査").select_option(label="承認")
    page.get_by_label("明細3の審査").select_option(label="返戻 9 その他（備考を参照）")
    page.get_by_label("明細3の備考").fill("利用時間の記載がありません")
    assert_accessible(page)
    screenshot(page, "staff-claim-review")
    page.get_by_role("button", name="審査結果を保存する").click()
    page.get_by_text("審査結果を保存しました（3件）。").wait_for()
    assert_accessible(page)
    # Whoever reviewed the lines does not also approve the claim (separation of duties).
    page.get_by_role("button", name="請求を確定する").click()
    page.get_by_text("明細を審査した職員は、同じ請求を確定できません。").wait_for()
    assert_accessible(page)
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.SUBMITTED

    other = staff_page(f.approver(office=boss.office))
    other.goto(f"{other.live_url}/staff/claims/{claim.pk}/")
    other.get_by_role("button", name="請求を確定する").click()
    other.get_by_text("請求を確定しました").wait_for()
    assert_accessible(other)
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.APPROVED
    assert claim.approved_total == 2 * 17000


def test_a_clerk_enters_a_change_and_a_reimbursement_from_paper(
    staff_page, clerk, boss, assert_accessible, screenshot
):
    mother = f.mother_with_baby(born=f.days_ago(30))
    application = f.approved_application(mother=mother, grants={"stay": 5}, staff=clerk, boss=boss)
    page = staff_page(clerk)

    page.goto(f"{page.live_url}/staff/cases/{application.pk}/")
    page.get_by_role("link", name="変更・中止の申請を受け付ける").click()
    page.get_by_label("変更", exact=True).check()
    page.get_by_label("変更後の短期入所（ショートステイ）型（泊）").fill("７")
    page.get_by_label("理由").fill("体調が戻らないため")
    assert_accessible(page)
    screenshot(page, "staff-change-new")
    page.get_by_role("button", name="申請を受け付ける").click()
    page.get_by_text("変更の申請を受け付けました。").wait_for()
    page.locator("#h-changes").locator("..").get_by_role("link", name="変更").click()
    page.get_by_role("heading", name="利用変更（中止）申請", exact=True).wait_for()
    assert "決裁者の決定を待っています" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "staff-change")

    page.goto(f"{page.live_url}/staff/cases/{application.pk}/")
    page.get_by_role("link", name="償還払いの請求を受け付ける").click()
    page.get_by_label("利用した施設").fill("東京ベビーケアハウス")
    page.get_by_label("所在地").fill("東京都世田谷区")
    page.get_by_label("サービス").select_option(label="短期入所（ショートステイ）型")
    page.get_by_label("利用日").fill("令和8年１１月２０日")
    page.get_by_label("支払った額（円）").fill("３０，０００円")
    page.get_by_role("button", name="請求を受け付ける").click()
    page.get_by_text("償還払いの請求を受け付けました。").wait_for()
    assert "30,000円" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "staff-reimbursement")
    page.locator("nav").get_by_role("link", name="償還払い").click()
    page.get_by_role("heading", name="償還払いの請求").wait_for()
    assert_accessible(page)
    screenshot(page, "staff-reimbursements")

    page.get_by_role("link", name="東京ベビーケアハウス").click()
    reimbursement_url = page.url
    page = staff_page(boss)
    page.goto(reimbursement_url)
    assert_accessible(page)
    screenshot(page, "staff-reimbursement-decide")
    page.get_by_role("button", name="支給を決定する").click()
    page.get_by_text("支給を決定しました（支給額 17,000円）。").wait_for()
    assert "17,000円" in page.locator("#h-decision").locator("..").inner_text()
    assert_accessible(page)
