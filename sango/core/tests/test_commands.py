"""The demo_setup management command."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from sango.core.management.commands.demo_setup import DEMO_PASSWORD, DEMO_USERNAME


def run_demo_setup() -> str:
    out = io.StringIO()
    call_command("demo_setup", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.usefixtures("sample_programmes")
def test_demo_setup_creates_the_superuser_and_prints_the_login():
    output = run_demo_setup()

    user = get_user_model().objects.get(username=DEMO_USERNAME)
    assert user.is_superuser and user.is_staff
    assert user.check_password(DEMO_PASSWORD)
    assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in output


@pytest.mark.django_db
@pytest.mark.usefixtures("sample_programmes")
def test_demo_setup_leaves_an_existing_admin_alone():
    run_demo_setup()
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    user.set_password("changed-by-developer")
    user.save()

    output = run_demo_setup()

    assert get_user_model().objects.filter(username=DEMO_USERNAME).count() == 1
    assert (
        get_user_model().objects.get(username=DEMO_USERNAME).check_password("changed-by-developer")
    )
    assert "already exists" in output
