"""熊本市's 利用カード at a ward office: issued with the handbook, the birth registered later, the
card's file with what remains and the uses, and the card printed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sango.core.tests import factories as f
from sango.mothers.models import Infant, Mother
from sango.municipalities.models import Office
from sango.programs.rules_for import rules_on
from sango.usage.services import use_record
from sango.vouchers.models import Voucher
from sango.vouchers.services import usage_card_issue

CLINIC = "sample-kumamoto-chuo-clinic"

PAPER = {
    "name": "熊本 花子",
    "name_kana": "くまもと はなこ",
    "birth_date": "H6.5.20",
    "postal_code": "８６０－０８０６",  # 熊本市中央区花畑町, typed in full-width digits
    "address": "熊本県熊本市中央区花畑町1-1",
    "phone": "０９６（３２８）２４１９",
    "issued_on": "令和8年10月1日",
    "due_date": "",
    "infant_birth_date": "",
    "infant_count": "1",
    "tier": "taxable",
    "tier_basis": "ledger",
}


def once(client, url: str) -> str:
    return client.get(url).context["form"]["once"].value()


def issue(client, **changes) -> object:
    url = reverse("staff:card_new")
    return client.post(url, {**PAPER, "once": once(client, url), **changes})


def test_a_card_issued_in_pregnancy_keeps_the_due_date(client_for, ward_clerk):
    client = client_for(ward_clerk)
    response = issue(client, due_date="R8.12.24")
    card = Voucher.objects.get()
    assert card.mother.due_date == date(2026, 12, 24)
    assert "令和8年12月24日" in client.get(response["Location"]).content.decode()
    birth = client.get(reverse("staff:card_birth", args=[card.pk])).content.decode()
    assert 'value="2026-12-24"' in birth  # the birth form starts from it


def card_in_pregnancy(clerk, *, issued_on: date = date(2026, 6, 1)) -> Voucher:
    mother = f.MotherFactory(municipality=f.municipality(f.KUMAMOTO))
    return usage_card_issue(mother=mother, actor=clerk, tier="taxable", issued_on=issued_on)


def register_birth(client, card: Voucher, **data) -> object:
    url = reverse("staff:card_birth", args=[card.pk])
    return client.post(url, {"once": once(client, url), "name": "", "due_date": "", **data})


def day_use(card: Voucher, key: str, day: date, staff) -> None:
    use_record(
        voucher_id=card.pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key=key,
        service="day",
        start=f.at(day, 10),
        end=f.at(day, 13),
    )


@pytest.fixture
def kita_clerk():
    """A 熊本市 北区 clerk: another ward office."""
    return f.clerk(
        f.KUMAMOTO, office=Office.objects.get(municipality__code=f.KUMAMOTO, code="kita")
    )


# --- the happy path -----------------------------------------------------------------------------


def test_a_ward_clerk_issues_a_card_in_pregnancy_and_registers_twins(client_for, ward_clerk):
    client = client_for(ward_clerk)
    form = client.get(reverse("staff:card_new")).content.decode()
    assert "利用カードの発行" in form
    assert "上記以外の世帯" in form and "<span>taxable</span>" not in form
    assert f'data-postal-url="{reverse("staff:postal")}"' in form
    assert 'data-postal-lookup="id_address"' in form

    response = issue(client)
    card = Voucher.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:card", args=[card.pk])
    assert (card.kind, card.office.code, card.tier) == ("usage_card", "chuo", "taxable")
    assert (card.valid_from, card.valid_until) == (date(2026, 10, 1), None)
    mother = card.mother
    assert (mother.name_kana, mother.postal_code, mother.phone) == (
        "クマモト ハナコ",
        "860-0806",
        "096-328-2419",
    )
    assert mother.birth_date == date(1994, 5, 20)

    page = client.get(response["Location"]).content.decode()
    assert "利用カードを発行しました" in page
    assert card.number in page
    assert "出生の登録はまだです" in page
    assert "出生の登録後に決まります" in page
    assert "中央区役所 保健こども課" in page
    assert reverse("staff:card_birth", args=[card.pk]) in page
    assert reverse("staff:card_print", args=[card.pk]) in page

    born = register_birth(client, card, birth_date="令和8年11月20日", count="２", name="熊本 一郎")
    assert born["Location"] == reverse("staff:card", args=[card.pk])
    card.refresh_from_db()
    rules = rules_on(f.KUMAMOTO, date(2026, 10, 1))
    assert card.valid_until == rules.eligibility.postpartum_window.last_day(date(2026, 11, 20))
    assert card.valid_until == date(2027, 11, 19)  # 産後1年未満
    assert mother.infants.count() == 2

    page = client.get(born["Location"]).content.decode()
    assert "出生を登録しました" in page
    assert "出生の登録はまだです" not in page
    assert "乳児（2人）" in page and "熊本 一郎" in page
    assert reverse("staff:card_birth", args=[card.pk]) not in page
    today = rules_on(f.KUMAMOTO, date.today())
    for cap in today.caps:
        # twins: the programme's multiple-birth extension, where it has one (熊本市: none)
        limit = cap.limit + cap.per_additional_infant
        assert f'<th scope="row">{cap.name}</th><td class="num">{limit}' in page


def test_a_card_issued_after_the_birth_registers_the_baby_at_once(client_for, ward_clerk):
    client = client_for(ward_clerk)
    issue(client, infant_birth_date="2026/9/20", due_date="R8.10.5", issued_on="2026-10-01")
    card = Voucher.objects.get()
    infant = card.mother.infants.get()
    assert (infant.birth_date, infant.due_date) == (date(2026, 9, 20), date(2026, 10, 5))
    assert (card.valid_from, card.valid_until) == (date(2026, 9, 20), date(2027, 9, 19))
    page = client.get(reverse("staff:card", args=[card.pk])).content.decode()
    assert "出生の登録はまだです" not in page
    assert reverse("staff:card_birth", args=[card.pk]) not in page


def test_the_card_page_lists_the_uses_with_the_programmes_names(client_for, ward_clerk):
    card = card_in_pregnancy(ward_clerk)
    Infant.objects.create(mother=card.mother, birth_date=date(2026, 7, 1))
    day_use(card, "a", date(2026, 8, 3), f.facility_staff(CLINIC))
    page = client_for(ward_clerk).get(reverse("staff:card", args=[card.pk])).content.decode()
    assert "日帰り型 3時間型" in page  # 10:00–13:00
    assert "（サンプル）中央レディースクリニック" in page
    assert "12,000円" in page
    assert "day_3h" not in page
    assert "1回</td>" in page  # the quantity in the programme's unit
    assert "6回" in page  # 日帰り型: 7回 less the one used


def test_the_card_prints_as_pdf(client_for, ward_clerk):
    card = card_in_pregnancy(ward_clerk)
    response = client_for(ward_clerk).get(reverse("staff:card_print", args=[card.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="card-{card.pk}.pdf"'
    assert response.content.startswith(b"%PDF")


# --- refusals ----------------------------------------------------------------------------------


def test_a_soja_clerk_cannot_issue_cards(client_for, clerk):
    response = issue(client_for(clerk), postal_code="719-1131", address="岡山県総社市中央1-1")
    assert response.status_code == 200
    assert "事前申請方式です。利用カードは発行できません" in response.content.decode()
    assert not Voucher.objects.exists()
    assert not Mother.objects.exists()  # the mother is rolled back with the refused card


def test_no_card_before_the_card_system_began(client_for, ward_clerk):
    response = issue(client_for(ward_clerk), issued_on="2024-03-31")
    assert "利用カードは発行できません" in response.content.decode()
    assert not Voucher.objects.exists() and not Mother.objects.exists()


def test_a_double_submit_issues_one_card(client_for, ward_clerk):
    client = client_for(ward_clerk)
    url = reverse("staff:card_new")
    token = once(client, url)
    first = client.post(url, {**PAPER, "once": token})
    second = client.post(url, {**PAPER, "once": token})
    assert Voucher.objects.count() == 1 and Mother.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_a_double_submit_registers_the_birth_once(client_for, ward_clerk):
    client = client_for(ward_clerk)
    card = card_in_pregnancy(ward_clerk)
    url = reverse("staff:card_birth", args=[card.pk])
    data = {"once": once(client, url), "birth_date": "2026-07-01", "count": "2", "name": ""}
    client.post(url, data)
    again = client.post(url, data)
    assert again.status_code == 302
    assert card.mother.infants.count() == 2


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("birth_date", "2026-02-30", "日付として読めません"),
        ("issued_on", "令和8年13月1日", "日付として読めません"),
        ("name", "", "この項目は必須です"),
        ("postal_code", "000-0000", "この郵便番号は見つかりません"),
        ("name_kana", "Kumamoto", "フリガナはカタカナで入力してください"),
        ("infant_birth_date", "2099-01-01", "より後の日付は入力できません"),
        ("infant_count", "４", "1から3までの数で入力してください"),
        ("tier", "", "この項目は必須です"),
    ],
)
def test_bad_input_is_named_and_kept_and_nothing_saved(
    client_for, ward_clerk, field, typed, message
):
    response = issue(client_for(ward_clerk), **{field: typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力内容を確認してください" in page
    assert message in page
    assert f'href="#id_{field}' in page  # the summary links to the field
    assert 'value="熊本県熊本市中央区花畑町1-1"' in page  # everything typed is kept
    if typed:
        assert typed in page
    assert not Mother.objects.exists() and not Voucher.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-05-31", "より前の日付は入力できません"),  # before the card's handbook day
        ("2099-01-01", "より後の日付は入力できません"),
        ("R8.2.30", "日付として読めません"),
        ("", "この項目は必須です"),
    ],
)
def test_a_bad_birth_date_is_named_and_nothing_saved(client_for, ward_clerk, typed, message):
    card = card_in_pregnancy(ward_clerk)
    response = register_birth(
        client_for(ward_clerk), card, birth_date=typed, count="1", name="一郎"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page and 'value="一郎"' in page
    card.refresh_from_db()
    assert card.valid_until is None and not card.mother.infants.exists()


def test_a_birth_count_beyond_three_is_refused(client_for, ward_clerk):
    card = card_in_pregnancy(ward_clerk)
    response = register_birth(client_for(ward_clerk), card, birth_date="2026-07-01", count="4")
    assert "1から3までの数で入力してください" in response.content.decode()
    assert not card.mother.infants.exists()


def test_a_second_birth_registration_shows_the_services_message(client_for, ward_clerk):
    client = client_for(ward_clerk)
    card = card_in_pregnancy(ward_clerk)
    register_birth(client, card, birth_date="2026-07-01", count="1")
    response = register_birth(client, card, birth_date="2026-07-02", count="1")
    assert "出生はすでに登録されています" in response.content.decode()
    assert card.mother.infants.count() == 1


# --- who may see what --------------------------------------------------------------------------

PAGES = ["card", "card_birth", "card_print"]


@pytest.mark.parametrize("name", ["card_new", *PAGES])
def test_anonymous_visitors_are_sent_to_the_login(client_for, ward_clerk, name):
    args = [card_in_pregnancy(ward_clerk).pk] if name != "card_new" else []
    response = client_for(None).get(reverse(f"staff:{name}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


@pytest.mark.parametrize("role", ["mother", "facility"])
@pytest.mark.parametrize("name", ["card_new", *PAGES])
def test_mothers_and_facility_staff_get_403(client_for, ward_clerk, role, name):
    user = f.mother_user() if role == "mother" else f.facility_staff(CLINIC)
    args = [card_in_pregnancy(ward_clerk).pk] if name != "card_new" else []
    assert client_for(user).get(reverse(f"staff:{name}", args=args)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_another_ward_offices_card_is_not_found(client_for, ward_clerk, kita_clerk, name):
    card = card_in_pregnancy(ward_clerk)
    response = client_for(kita_clerk).get(reverse(f"staff:{name}", args=[card.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_another_municipalitys_card_is_not_found(client_for, ward_clerk, clerk, name):
    card = card_in_pregnancy(ward_clerk)
    assert client_for(clerk).get(reverse(f"staff:{name}", args=[card.pk])).status_code == 404


def test_a_kita_clerk_cannot_register_a_chuo_birth(client_for, ward_clerk, kita_clerk):
    card = card_in_pregnancy(ward_clerk)
    url = reverse("staff:card_birth", args=[card.pk])
    response = client_for(kita_clerk).post(url, {"birth_date": "2026-07-01", "count": "1"})
    assert response.status_code == 404
    assert not card.mother.infants.exists()


def test_an_application_voucher_is_not_a_card_page(client_for, clerk):
    application = f.approved_application(
        mother=f.mother_with_baby(born=f.days_ago(10)), grants={"stay": 2}, staff=clerk
    )
    voucher = f.voucher_for(application)
    assert client_for(clerk).get(reverse("staff:card", args=[voucher.pk])).status_code == 404


# --- query count -------------------------------------------------------------------------------


def test_the_card_page_query_count_does_not_grow_with_uses(
    client_for, ward_clerk, django_assert_max_num_queries
):
    card = card_in_pregnancy(ward_clerk)
    Infant.objects.create(mother=card.mother, birth_date=date(2026, 7, 1))
    staff = f.facility_staff(CLINIC)
    client = client_for(ward_clerk)
    url = reverse("staff:card", args=[card.pk])
    day_use(card, "u0", date(2026, 8, 1), staff)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 7):
        day_use(card, f"u{n}", date(2026, 8, 1) + timedelta(days=n), staff)
    for n in range(3):
        use_record(
            voucher_id=card.pk,
            facility=staff.facility,
            actor=staff,
            idempotency_key=f"s{n}",
            service="stay",
            day=date(2026, 9, 1) + timedelta(days=n),
            quantity=1,
        )
    with django_assert_max_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert page.count("（サンプル）中央レディースクリニック") == 10
