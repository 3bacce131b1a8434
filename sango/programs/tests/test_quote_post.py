"""The fee simulator is a POST form: the baby's birth date and the household tier never go into
an address, where access logs and browser history would keep them (issue 9 A9)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

SOJA = "332089"
BIRTH = "2026-02-27"
WELFARE_STAY = {
    "service": "stay",
    "date": "2026-05-10",
    "tier": "welfare",
    "birth_date": BIRTH,
    "facility": "kaneko-josanin",
    "fee": "30000",
}
URL_ATTRIBUTES = re.compile(r'(?:href|action|src|formaction|value)="([^"]*)"')


def _addresses(html: str) -> list[str]:
    """Every address the page links, posts or points to (and the language form's ``next``)."""
    return [m for m in URL_ATTRIBUTES.findall(html) if "/" in m or "?" in m]


def test_the_result_comes_from_a_post(client):
    url = reverse("programs:quote", args=[SOJA])
    html = client.post(url, WELFARE_STAY).content.decode()
    assert "試算の結果" in html
    assert "26,000円" in html and "4,000円" in html
    assert '<form class="quote-form" method="post"' in html
    # What was typed stays in the fields, for a correction.
    assert f'value="{BIRTH}"' in html


def test_no_address_the_page_produces_holds_the_birth_date_or_tier(client):
    url = reverse("programs:quote", args=[SOJA])
    html = client.post(url, WELFARE_STAY).content.decode()
    addresses = _addresses(html)
    assert addresses, "the page links somewhere"
    for address in addresses:
        assert BIRTH not in address and "welfare" not in address and "birth" not in address
    assert re.search(rf'action="{re.escape(url)}"', html)


def test_answers_in_a_query_are_not_read_nor_shown(client):
    """An old link that held the answers leads to the empty simulator at the bare address."""
    url = reverse("programs:quote", args=[SOJA])
    response = client.get(url, WELFARE_STAY, follow=True)
    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert 'id="result"' not in html and BIRTH not in html


@pytest.mark.django_db
def test_the_post_is_csrf_protected():
    strict = Client(enforce_csrf_checks=True)
    url = reverse("programs:quote", args=[SOJA])
    assert strict.post(url, WELFARE_STAY).status_code == 403

    form = strict.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())[1]
    response = strict.post(url, {**WELFARE_STAY, "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and "試算の結果" in response.content.decode()
