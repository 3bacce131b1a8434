"""支払 in the staff office: a clerk builds and reviews a batch, the approver locks it, the
全銀 file and the CSVs download, the batch is marked paid and a returned transfer marked —
and the facility and the mother then see 支払済み. Access and bad input too."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sango.banking.models import BankAccount
from sango.core.tests import factories as f
from sango.payments.models import Originator, PaymentBatch, PaymentLine
from sango.payments.tests import factories as pf

LIST = reverse("staff:payments")


def once(page) -> str:
    match = re.search(r'name="once" value="([^"]+)"', page.content.decode())
    assert match, "no once token on the page"
    return match[1]


@pytest.fixture
def owed(clerk, boss):
    """かねこ助産院's approved claim (48,000円, account confirmed) and a mother's approved
    reimbursement (21,000円, her account confirmed); the originator entered."""
    pf.originator(actor=clerk)
    pf.account(actor=clerk, facility=f.facility("kaneko-josanin"))
    return pf.approved_claim(), pf.approved_reimbursement(clerk=clerk, boss=boss)


def build(client, day=None) -> PaymentBatch:
    page = client.get(LIST)
    day = day or timezone.localdate()
    answer = client.post(LIST, {"once": once(page), "pay_date": day.isoformat()})
    assert answer.status_code == 302, answer.content.decode()
    return PaymentBatch.objects.get(pay_date=day)


def test_a_clerk_builds_a_batch_and_reviews_its_lines(client_for, clerk, owed):
    client = client_for(clerk)
    batch = build(client)
    page = client.get(reverse("staff:payment", args=[batch.pk]), follow=True)
    text = page.content.decode()
    assert "支払を作成しました（2件、69,000円）" in text
    for shown in ("かねこ助産院", "みずほ銀行", "東京営業部", "48,000円", "21,000円", "69,000円"):
        assert shown in text
    assert "確定は決裁者が行います" in text
    assert 'value="lock"' not in text


def test_a_double_clicked_build_makes_one_batch(client_for, clerk, owed):
    client = client_for(clerk)
    values = {"once": once(client.get(LIST)), "pay_date": timezone.localdate().isoformat()}
    first, second = client.post(LIST, values), client.post(LIST, values)
    assert first.url == second.url
    assert PaymentBatch.objects.count() == 1


def test_nothing_to_pay_is_said_next_to_the_date_and_the_date_kept(client_for, clerk):
    client = client_for(clerk)
    typed = "R8.12.25"
    page = client.post(LIST, {"once": once(client.get(LIST)), "pay_date": typed})
    text = page.content.decode()
    assert page.status_code == 200
    assert "支払うものがありません" in text
    assert f'value="{typed}"' in text
    assert not PaymentBatch.objects.exists()


def test_held_payees_are_listed_with_the_reason(client_for, clerk, boss, owed):
    pf.approved_reimbursement(clerk=clerk, boss=boss, amount=9000, confirmed=False)
    client = client_for(clerk)
    batch = build(client)
    text = client.get(reverse("staff:payment", args=[batch.pk])).content.decode()
    assert "保留（口座の登録・確認待ち） 1件" in text
    assert "振込先の口座がまだ確認されていません" in text
    assert batch.count == 2


def test_the_approver_locks_once_and_the_files_download(client_for, clerk, boss, owed):
    batch = build(client_for(clerk))
    url = reverse("staff:payment", args=[batch.pk])
    client = client_for(boss)
    page = client.get(url)
    values = {"once": once(page), "action": "lock", "count": 2, "total": 69000}
    client.post(url, values)
    again = client.post(url, values, follow=True)
    assert "二重送信" in again.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.locked_by) == (PaymentBatch.Status.LOCKED, boss)
    assert f.approver().pk  # a second lock by another approver is refused by state:
    other = client_for(f.approver())
    refused = other.post(url, {**values, "once": once(other.get(url))}, follow=True)
    assert "この支払はすでに確定しています" in refused.content.decode()

    zengin = client.get(reverse("staff:payment_zengin", args=[batch.pk]))
    assert zengin["Content-Type"] == "application/octet-stream"
    assert f"zengin_{batch.reference}_" in zengin["Content-Disposition"]
    records = zengin.content.split(b"\r\n")[:-1]
    assert [len(r) for r in records] == [120] * 5
    assert records[3][1:19] == b"000002000000069000"

    csv_url = reverse("staff:payment_csv", args=[batch.pk])
    utf8 = client.get(csv_url + "?fmt=csv")
    assert utf8.content.startswith(b"\xef\xbb\xbf")
    body = utf8.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("支払番号,支払日,明細番号,区分,支払先")
    assert "かねこ助産院" in body and "みずほ銀行" in body and "48000" in body
    sjis = client.get(csv_url + "?fmt=csv_cp932")
    assert sjis.content.decode("cp932") == body.replace("\n", "\r\n").replace("\r\r", "\r")
    assert client.get(csv_url + "?fmt=pdf").status_code == 404


def test_a_draft_has_no_transfer_file(client_for, clerk, owed):
    client = client_for(clerk)
    batch = build(client)
    answer = client.get(reverse("staff:payment_zengin", args=[batch.pk]), follow=True)
    assert "全銀ファイルは支払を確定してから作成します" in answer.content.decode()


def test_a_clerk_cannot_lock(client_for, clerk, owed):
    client = client_for(clerk)
    batch = build(client)
    url = reverse("staff:payment", args=[batch.pk])
    values = {"once": once(client.get(url)), "action": "lock", "count": 2, "total": 69000}
    assert client.post(url, values).status_code == 403


def _locked(client_for, clerk, boss) -> PaymentBatch:
    batch = build(client_for(clerk))
    from sango.payments.services import batch_lock

    return batch_lock(actor=boss, batch=batch, count=batch.count, total=batch.total)


def test_paid_then_the_facility_and_the_mother_see_it(client_for, clerk, boss):
    pf.originator(actor=clerk)
    pf.account(actor=clerk, facility=f.facility("kaneko-josanin"))
    claim = pf.approved_claim()
    mother_user = f.mother_user()
    reimbursement = pf.approved_reimbursement(clerk=clerk, boss=boss, user=mother_user)
    batch = _locked(client_for, clerk, boss)
    client = client_for(clerk)
    url = reverse("staff:payment", args=[batch.pk])
    page = client.post(url, {"once": once(client.get(url)), "action": "paid"}, follow=True)
    text = page.content.decode()
    assert "支払済みにしました（2件、69,000円）" in text
    day = f"令和{timezone.localdate().year - 2018}年"
    assert day in text

    facility_page = client_for(f.facility_staff("kaneko-josanin")).get(reverse("facility:claims"))
    facility_text = facility_page.content.decode()
    assert "支払済み" in facility_text and day in facility_text
    claim_page = client_for(f.facility_staff("kaneko-josanin")).get(
        reverse("facility:claim", args=[claim.pk])
    )
    assert "支払済み" in claim_page.content.decode()
    mine = client_for(mother_user).get(reverse("my:reimburse")).content.decode()
    assert "支払済み" in mine and "21,000円を振り込みました" in mine
    staff_lists = client.get(reverse("staff:claims")).content.decode()
    assert "支払済み" in staff_lists
    assert (
        "支払済み"
        in client.get(reverse("staff:reimbursement", args=[reimbursement.pk])).content.decode()
    )


def test_a_returned_transfer_is_marked_and_paid_by_a_later_batch(client_for, clerk, boss, owed):
    batch = _locked(client_for, clerk, boss)
    from sango.payments.services import batch_mark_paid

    batch_mark_paid(actor=clerk, batch=batch)
    line = batch.lines.get(claim__isnull=False)
    client = client_for(clerk)
    url = reverse("staff:payment", args=[batch.pk])
    returned = reverse("staff:payment_line_return", args=[batch.pk])
    values = {"once": once(client.get(url)), "line": line.pk, "reason": ""}
    assert "理由を選んでください" in client.post(returned, values, follow=True).content.decode()
    page = client.post(returned, {**values, "reason": 9}, follow=True)  # その他: same account
    assert "振込不能にしました" in page.content.decode()
    assert "その他" in page.content.decode()
    line.refresh_from_db()
    assert line.state == PaymentLine.State.RETURNED
    later = build(client, timezone.localdate() + timedelta(days=3))
    assert later.lines.get().claim_id == line.claim_id


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bank_code": "0002"}, "bank_code", "金融機関コード 0002 の金融機関は見つかりません"),
        (
            {"branch_code": "999"},
            "branch_code",
            "みずほ銀行に支店コード 999 の支店は見つかりません",
        ),
        (
            {"holder": "金子 助産院"},
            "holder",
            "「金」、「子」、「助」、「産」、「院」は口座名義に使えません",
        ),
    ],
)
def test_a_facility_account_that_cannot_be_paid_is_refused_on_its_field(
    client_for, clerk, changes, field, message
):
    facility = f.facility("kaneko-josanin")
    url = reverse("staff:payment_facility_account", args=[facility.pk])
    client = client_for(clerk)
    values = {
        "once": once(client.get(url)),
        "bank_code": "0001",
        "branch_code": "001",
        "kind": "1",
        "number": "1234567",
        "holder": "カネコ ジヨサンイン",
        **changes,
    }
    page = client.post(url, values)
    text = page.content.decode()
    assert page.status_code == 200
    assert message in text
    assert f'id="id_{field}_error"' in text
    assert f'value="{values[field]}"' in text  # what she typed stays
    assert not BankAccount.objects.filter(facility=facility).exists()


def test_a_facility_account_is_entered_then_confirmed(client_for, clerk):
    facility = f.facility("kaneko-josanin")
    client = client_for(clerk)
    url = reverse("staff:payment_facility_account", args=[facility.pk])
    values = {
        "once": once(client.get(url)),
        "bank_code": "０１６８",
        "branch_code": "191",
        "kind": "1",
        "number": "12345",
        "holder": "かねこ じよさんいん",
    }
    page = client.post(url, values, follow=True)
    text = page.content.decode()
    assert "口座を登録しました" in text and "未確認" in text and "中国銀行" in text
    facilities = reverse("staff:payment_facilities")
    page = client.post(
        facilities, {"once": once(client.get(facilities)), "facility": facility.pk}, follow=True
    )
    assert "口座を確認済みにしました" in page.content.decode()
    account = BankAccount.objects.get(facility=facility)
    assert (account.number, account.holder, account.confirmed_by) == (
        "0012345",
        "ｶﾈｺ ｼﾞﾖｻﾝｲﾝ",
        clerk,
    )


def test_the_originator_is_entered_once(client_for, clerk):
    client = client_for(clerk)
    url = reverse("staff:payment_originator")
    values = {
        "once": once(client.get(url)),
        "code": "12345",
        "name": "ソウジヤシ",
        "bank_code": "0168",
        "branch_code": "191",
        "kind": "1",
        "number": "12345",
        "holder": "ソウジヤシ",
    }
    page = client.post(url, values)
    assert "委託者コードは銀行から通知された10けたの数字です" in page.content.decode()
    client.post(url, {**values, "code": "1234567890"})
    originator = Originator.objects.get()
    assert (originator.code, originator.name, originator.account.number) == (
        "1234567890",
        "ｿｳｼﾞﾔｼ",
        "0012345",
    )
    assert originator.account.confirmed_at is not None
    assert 'value="1234567890"' in client.get(url).content.decode()


def test_access(client_for, clerk, boss, ward_clerk, owed):
    batch = build(client_for(clerk))
    pages = [
        LIST,
        reverse("staff:payment", args=[batch.pk]),
        reverse("staff:payment_csv", args=[batch.pk]),
        reverse("staff:payment_originator"),
        reverse("staff:payment_facilities"),
    ]
    for url in pages:
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and "/staff/login/" in anonymous.url
        assert client_for(f.mother_user()).get(url).status_code == 403
        assert client_for(f.facility_staff("kaneko-josanin")).get(url).status_code == 403
        assert client_for(boss).get(url).status_code == 200
    for url in pages[1:3]:
        assert client_for(ward_clerk).get(url).status_code == 404
    kumamoto_only = f.facility("sample-kumamoto-chuo-clinic")
    url = reverse("staff:payment_facility_account", args=[kumamoto_only.pk])
    assert client_for(clerk).get(url).status_code == 404
    assert client_for(ward_clerk).get(url).status_code == 200
    assert batch.reference not in client_for(ward_clerk).get(LIST).content.decode()


def test_the_batch_page_reads_a_flat_number_of_queries(
    client_for, clerk, boss, owed, django_assert_max_num_queries
):
    for month in range(1, 6):
        pf.approved_claim(month=date(2025, month, 1))
    batch = build(client_for(clerk))
    assert batch.count == 7
    client = client_for(clerk)
    url = reverse("staff:payment", args=[batch.pk])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_a_returned_reimbursement_gets_her_corrected_account(client_for, clerk, boss, owed):
    _claim, reimbursement = owed
    batch = _locked(client_for, clerk, boss)
    from sango.payments.services import batch_mark_paid, line_mark_returned

    batch_mark_paid(actor=clerk, batch=batch)
    line = batch.lines.get(reimbursement=reimbursement)
    line_mark_returned(actor=clerk, line=line, reason=2)
    client = client_for(clerk)
    url = reverse("staff:payment_payee_account", args=[reimbursement.pk])
    assert "7654321" in client.get(url).content.decode()
    values = {
        "once": once(client.get(url)),
        "action": "register",
        "bank_code": "9900",
        "branch_code": "458",
        "kind": "1",
        "number": "1234568",
        "holder": "ｿｳｼﾞｬ ﾊﾅｺ!",
    }
    page = client.post(url, values)
    assert "「!」は口座名義に使えません" in page.content.decode()
    page = client.post(url, {**values, "holder": "ソウジヤ ハナコ"}, follow=True)
    text = page.content.decode()
    assert "口座を登録しました" in text and "ゆうちょ銀行" in text and "未確認" in text
    confirm = {"once": once(page), "action": "confirm"}
    text = client.post(url, confirm, follow=True).content.decode()
    assert "口座を確認済みにしました" in text
    later = build(client, timezone.localdate() + timedelta(days=2))
    assert later.lines.get().account.number == "1234568"
