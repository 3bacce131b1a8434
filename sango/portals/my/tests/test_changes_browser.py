"""A change request on a phone (390×844): she asks for two more nights, sees it received with its
number, and after こども課's decision sees the result and opens the decision letter."""

from __future__ import annotations

import pytest

from sango.applications.changes import change_request_decide
from sango.applications.models import ChangeRequest
from sango.core.tests import factories as f

pytestmark = pytest.mark.browser


def test_she_asks_for_more_nights_and_reads_the_decision(
    my_page, new_mother, assert_light, screenshot
):
    mother = new_mother()
    application = f.approved_application(mother=mother, grants={"stay": 3})
    page = my_page(mother.user)
    main = page.locator("main")
    page.goto(f"{page.live_url}/my/changes/")
    assert_light(page)
    screenshot(page, "my-changes")
    main.get_by_role("link", name="変更・中止を申請する").click()
    main.get_by_label("内容を変える（日数・施設・期間）").check()
    main.get_by_label("短期入所（ショートステイ）型の数（変更後）").fill("いつつ")
    main.get_by_role("button", name="申請を送信する").click()
    assert "数字で入力してください" in main.inner_text()
    assert main.get_by_label("短期入所（ショートステイ）型の数（変更後）").input_value() == "いつつ"
    assert_light(page)
    screenshot(page, "my-change-error")
    main.get_by_label("短期入所（ショートステイ）型の数（変更後）").fill("５")
    main.get_by_label("理由").fill("体調がまだ戻らないため")
    main.get_by_role("button", name="申請を送信する").click()
    page.wait_for_url(f"{page.live_url}/my/changes/*/")
    assert "申請を受け付けました" in main.inner_text()
    assert_light(page)
    screenshot(page, "my-change-received")

    change = ChangeRequest.objects.get(application=application)
    change_request_decide(change=change, actor=f.approver(), approve=True)
    page.reload()
    assert "申請は承認されました" in main.inner_text()
    screenshot(page, "my-change-decided")
    href = main.get_by_role("link", name="（PDF）").get_attribute("href")
    letter = page.request.get(f"{page.live_url}{href}")  # her session's cookies
    assert letter.ok and letter.headers["content-type"] == "application/pdf"
