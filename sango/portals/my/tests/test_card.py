"""熊本市's 利用カード in マイページ: she registers the card she was handed in pregnancy (its number
and her birth date), then her baby's birth, and sees the card with what remains; wrong numbers
or dates say the same thing and are counted; another account cannot take her card."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sango.accounts.models import User
from sango.core.tests import factories as f
from sango.mothers.models import Mother
from sango.vouchers.models import CheckFailure, Voucher
from sango.vouchers.services import usage_card_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def card() -> Voucher:
    """A card handed out at a ward office in pregnancy: her record has no account yet."""
    mother = f.MotherFactory(municipality=f.municipality(f.KUMAMOTO), due_date=f.days_ago(-30))
    return usage_card_issue(mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable")


def register(client, number: str, birth_date: str = "H6.5.20"):
    return client.post(reverse("my:card_register"), {"number": number, "birth_date": birth_date})


def test_she_registers_her_card_then_her_babys_birth(client_for, card):
    user = f.mother_user()
    client = client_for(user)
    response = register(client, card.number.replace("-", ""), "平成6年5月20日")
    assert response["Location"] == reverse("my:card_birth", args=[card.pk])
    assert Mother.objects.get(pk=card.mother_id).user == user

    url = response["Location"]
    once = client.get(url).context["form"]["once"].value()
    born = f.days_ago(5)
    response = client.post(url, {"once": once, "birth_date": born.isoformat(), "count": "1"})
    assert response["Location"] == reverse("my:voucher", args=[card.pk])
    card.refresh_from_db()
    assert card.valid_until is not None and card.mother.infants.get().birth_date == born
    page = client.get(response["Location"]).content.decode()
    assert card.number in page and "あと" in page.split('id="h-remaining"')[1]
    assert card.number in client.get(reverse("my:home")).content.decode()


def test_a_wrong_birth_date_or_number_says_the_same_and_is_counted(client_for, card):
    user = f.mother_user()
    client = client_for(user)
    wrong_date = register(client, card.number, "1990-01-01")
    message = "利用券を確認できません。番号と生年月日をお確かめください。"
    assert message in wrong_date.context["form"].errors["number"][0]
    unknown = register(client, "431001-0000-0000-0006")
    assert unknown.status_code == 200
    assert Mother.objects.get(pk=card.mother_id).user is None
    assert CheckFailure.objects.filter(user=user).count() >= 1
    assert 'value="1990-01-01"' in wrong_date.content.decode()


def test_a_mistyped_number_is_caught_by_its_check_digit(client_for, card):
    response = register(
        client_for(f.mother_user()), card.number[:-1] + "0" * (card.number[-1] != "0")
    )
    assert "確認用の数字が違います" in response.context["form"].errors["number"][0]


def test_after_too_many_failures_the_account_waits(client_for, card):
    client = client_for(f.mother_user())
    for _ in range(5):
        register(client, card.number, "1990-01-01")
    response = register(client, card.number)
    assert "しばらく確認できません" in response.content.decode()
    assert Mother.objects.get(pk=card.mother_id).user is None


def test_a_card_of_another_account_cannot_be_taken(client_for, card):
    owner = f.mother_user()
    register(client_for(owner), card.number)
    response = register(client_for(f.mother_user()), card.number)
    assert "利用券を確認できません" in response.content.decode()
    assert Mother.objects.get(pk=card.mother_id).user == owner


def test_an_account_with_its_own_record_is_sent_to_the_ward_office(client_for, card, new_mother):
    mother = new_mother(code=f.KUMAMOTO)
    response = register(client_for(mother.user), card.number)
    assert "区役所にお問い合わせください" in response.content.decode()


def test_a_voucher_number_is_not_a_card(client_for, new_mother):
    application = f.approved_application(mother=new_mother(), grants={"stay": 3})
    voucher = f.voucher_for(application)
    response = register(client_for(f.mother_user()), voucher.number)
    assert "利用券を確認できません" in response.content.decode()


def test_access(client_for, card, new_mother):
    owner = f.mother_user()
    register(client_for(owner), card.number)
    birth = reverse("my:card_birth", args=[card.pk])
    for url in (reverse("my:card_register"), birth):
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/my/login/")
        assert client_for(f.clerk(f.KUMAMOTO)).get(url).status_code == 403
        assert client_for(f.facility_staff("kaneko-josanin")).get(url).status_code == 403
    assert client_for(new_mother().user).get(birth).status_code == 404
    assert client_for(owner).get(birth).status_code == 200
    assert User.objects.filter(pk=owner.pk, mother__isnull=False).exists()
