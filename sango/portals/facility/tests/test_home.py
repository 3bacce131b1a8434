"""The facility's day: login and 今日."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from sango.core.tests import factories as f


def test_anonymous_visitors_are_sent_to_the_facility_login(client_for):
    response = client_for(None).get(reverse("facility:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("facility:login"))


@pytest.mark.parametrize("who", ["mother", "clerk"])
def test_mothers_and_municipal_staff_cannot_use_the_facility_portal(client_for, who):
    user = f.mother_user() if who == "mother" else f.clerk()
    assert client_for(user).get(reverse("facility:home")).status_code == 403


def test_the_facility_login_lands_on_today(client_for, kaneko):
    response = client_for(None).post(
        reverse("facility:login"), {"username": kaneko.username, "password": "pw-for-tests"}
    )
    assert response["Location"] == reverse("facility:home")


def test_today_shows_the_weeks_arrivals_and_departures_and_tonights_guests(client_for, kaneko):
    today = f.days_ago(0)
    staying = f.mother_with_baby(born=f.days_ago(20))
    f.provisional_booking(mother=staying, start=today - timedelta(days=1), nights=2)
    arriving = f.mother_with_baby(born=f.days_ago(25))
    f.provisional_booking(mother=arriving, start=today + timedelta(days=3))
    f.provisional_booking(
        mother=f.mother_with_baby(born=f.days_ago(25)), start=today + timedelta(days=9)
    )
    page = client_for(kaneko).get(reverse("facility:home")).content.decode()
    tonight = page.split('id="h-tonight"')[1].split("</section>")[0]
    assert staying.name in tonight
    week = page.split('id="h-week"')[1].split("</section>")[0]
    assert arriving.name in week and "入所" in week and "退所" in week
    assert "総社市" in week


def test_another_facilitys_bookings_never_appear(client_for, kunitomi):
    f.provisional_booking(mother=f.mother_with_baby(born=f.days_ago(20)), start=f.days_ago(0))
    page = client_for(kunitomi).get(reverse("facility:home")).content.decode()
    assert "試験 花子" not in page
