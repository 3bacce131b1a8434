"""Every staff page not walked through by the other browser tests, opened at office size and
checked with axe-core: the login, search with results, the letters of the day, a print job,
the exports, the documents and worker forms, receiving a draft, a rejection, and the lists."""

from __future__ import annotations

import pytest

from sango.core.tests import factories as f
from sango.letters.jobs import print_job_request

pytestmark = pytest.mark.browser


def test_the_login_page_is_accessible(page, live_server, assert_accessible):
    from sango.conftest import OFFICE

    page.set_viewport_size(OFFICE)
    page.goto(f"{live_server.url}/staff/login/")
    assert_accessible(page)
    page.locator("main").get_by_role("button", name="ログイン").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page)


def test_every_other_staff_page_is_accessible(
    staff_page, clerk, boss, assert_accessible, screenshot
):
    approved = f.approved_application(
        mother=f.mother_with_baby(born=f.days_ago(20)), grants={"stay": 2}, staff=clerk, boss=boss
    )
    f.reimbursement(voucher=f.voucher_for(approved), by=clerk)
    interviewed = f.interviewed_application(mother=f.mother_with_baby(born=f.days_ago(15)))
    draft = f.application_in("draft")
    job = print_job_request(actor=clerk, day=f.days_ago(0))
    page = staff_page(boss)
    for path in (
        "/staff/search/",
        "/staff/letters/",
        f"/staff/letters/print/{job.pk}/",
        "/staff/exports/",
        "/staff/claims/",
        "/staff/reimbursements/",
        f"/staff/cases/{approved.pk}/",
        f"/staff/cases/{interviewed.pk}/documents/",
        f"/staff/cases/{interviewed.pk}/assign/",
        f"/staff/cases/{interviewed.pk}/reject/",
        f"/staff/cases/{draft.pk}/receive/",
    ):
        page.goto(page.live_url + path)
        assert_accessible(page)
    page.goto(page.live_url + "/staff/search/")
    page.get_by_label("氏名・フリガナ・生年月日・電話番号・申請番号・利用券番号").fill("しけん")
    page.get_by_role("button", name="検索する").click()
    page.wait_for_url("**/staff/search/results/")
    assert approved.mother.name in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "staff-search")
    page.goto(page.live_url + "/staff/exports/")
    page.get_by_label("期間の開始").fill("令和8年13月1日")
    page.get_by_role("button", name="ファイルを作る").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page)
    screenshot(page, "staff-exports-error")
