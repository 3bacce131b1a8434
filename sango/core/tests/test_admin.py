"""The read-only back office: each user sees only what is theirs, and nothing can be edited."""

from datetime import date

import pytest

from sango.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    f.load_programmes()
    soja = f.approved_application(
        mother=f.mother_with_baby(born=date(2026, 3, 1)), grants={"stay": 2}
    )
    kumamoto_mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2026, 3, 1))
    return soja, kumamoto_mother


def login(client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def test_clerk_sees_own_municipality_only(client, cases) -> None:
    soja_application, kumamoto_mother = cases
    kumamoto = login(client, f.clerk(f.KUMAMOTO))
    assert kumamoto.get("/admin/applications/application/").status_code == 200
    detail = f"/admin/applications/application/{soja_application.pk}/change/"
    assert kumamoto.get(detail).status_code == 302  # not found → redirected to the index
    page = kumamoto.get("/admin/mothers/mother/").content.decode()
    assert kumamoto_mother.name in page
    assert soja_application.mother.name not in page


def test_nothing_can_be_edited(client, cases) -> None:
    soja_application, _ = cases
    clerk = login(client, f.clerk())
    detail = f"/admin/applications/application/{soja_application.pk}/change/"
    page = clerk.get(detail)
    assert page.status_code == 200
    assert clerk.post(detail, {"status": "rejected"}).status_code == 403
    assert clerk.get("/admin/applications/application/add/").status_code == 403


def test_mothers_have_no_back_office(client, cases) -> None:
    mother = f.UserFactory(is_staff=True)
    client.force_login(mother)
    assert client.get("/admin/applications/application/").status_code == 403
