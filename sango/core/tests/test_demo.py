"""``sango demo_setup`` builds the whole demo through the services, once, relative to today."""

import io
from datetime import date, datetime

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from sango.accounts.models import User
from sango.applications.models import Application, ChangeRequest
from sango.audit.models import AuditEvent
from sango.billing.models import ClaimLine, FacilityClaim
from sango.core.tests import factories as f
from sango.demo.accounts import ACCOUNTS, DEMO_PASSWORD
from sango.demo.people import KUMAMOTO_PEOPLE, SOJA_PEOPLE
from sango.demo.scenario import demo_build
from sango.municipalities.models import Office
from sango.reimbursements.models import Reimbursement
from sango.usage.models import Use
from sango.vouchers.models import Voucher

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sample_programmes")]

SOJA, KUMAMOTO = "332089", "431001"


def demo_setup() -> str:
    out = io.StringIO()
    call_command("demo_setup", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_the_demo_has_every_case() -> None:
    demo_setup()

    soja = Application.objects.filter(municipality__code=SOJA)
    assert set(soja.values_list("status", flat=True)) == set(Application.Status.values)
    assert soja.filter(
        residence=Application.Residence.TEMPORARY_RETURN, status=Application.Status.APPROVED
    ).exists()
    assert ChangeRequest.objects.filter(
        kind=ChangeRequest.Kind.CHANGE, status=ChangeRequest.Status.APPROVED
    ).exists()
    assert Voucher.objects.filter(
        municipality__code=KUMAMOTO, kind=Voucher.Kind.USAGE_CARD, status=Voucher.Status.ACTIVE
    ).exists()
    assert not Application.objects.filter(municipality__code=KUMAMOTO).exists()
    assert Office.objects.filter(municipality__code=KUMAMOTO, active=True).count() == 5

    recorded = Use.objects.filter(status=Use.Status.RECORDED, source=Use.Source.FACILITY)
    assert recorded.filter(municipality__code=SOJA).values("facility").distinct().count() >= 3
    assert set(recorded.filter(municipality__code=KUMAMOTO).values_list("service", flat=True)) >= {
        "day_3h",
        "stay",
    }
    assert Use.objects.filter(status=Use.Status.VOID, corrected_by__isnull=False).exists()
    assert Use.objects.filter(status=Use.Status.VOID, corrected_by__isnull=True).exists()

    approved = FacilityClaim.objects.get(status=FacilityClaim.Status.APPROVED)
    assert approved.facility.slug == "kaneko-josanin"
    assert approved.lines.filter(
        status=ClaimLine.Status.REJECTED, rejection_reason__isnull=False
    ).exists()
    assert FacilityClaim.objects.filter(status=FacilityClaim.Status.DRAFT).exists()
    assert Reimbursement.objects.filter(status=Reimbursement.Status.APPROVED).exists()
    assert Reimbursement.objects.filter(status=Reimbursement.Status.SUBMITTED).exists()


def test_every_state_was_reached_through_the_services() -> None:
    demo_setup()

    for application in Application.objects.all():
        actions = set(application.audit_events.values_list("action", flat=True))
        assert "application.create" in actions
        if application.status != Application.Status.DRAFT:
            assert "application.submit" in actions
    assert AuditEvent.objects.filter(action="application.expire").count() == 1
    assert AuditEvent.objects.filter(action="claim.approve").count() == 1
    assert AuditEvent.objects.filter(action="usage_card.issue").count() == 2


def test_a_second_run_creates_nothing_and_prints_the_logins() -> None:
    first = demo_setup()
    counts = row_counts()

    second = demo_setup()

    assert row_counts() == counts
    assert "already in this database" in second
    for account in ACCOUNTS:
        assert account.username in first and account.username in second
    assert "/admin/" in second and "/api/docs/" in second


def test_every_login_works_with_the_demo_password() -> None:
    demo_setup()

    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD), account.username
        assert user.role == account.role
    assert User.objects.get(username="hanako").mother.vouchers.exists()
    assert Use.objects.filter(
        voucher__mother__user__username="misaki", facility__slug="sample-kumamoto-chuo-clinic"
    ).exists()


def test_no_personal_data_is_printed() -> None:
    output = demo_setup()

    for person in [*SOJA_PEOPLE.values(), *KUMAMOTO_PEOPLE.values()]:
        for value in (person.name, person.address, person.postal_code, person.phone):
            assert value not in output


@pytest.mark.parametrize("today", [date(2027, 3, 1), date(2027, 1, 31), date(2027, 4, 30)])
def test_the_dates_work_whatever_day_it_is(today: date) -> None:
    """Short February, the turn of the year and of the fiscal year: every step still passes."""
    noon = timezone.make_aware(datetime(today.year, today.month, today.day, 12))
    with f.frozen_now(noon):
        demo_build(today=today)

    assert Use.objects.filter(municipality__code=SOJA, status=Use.Status.RECORDED).count() >= 10
    assert Application.objects.filter(status=Application.Status.EXPIRED).count() == 1


def test_a_database_with_other_data_is_left_alone() -> None:
    User.objects.create_user(username="soja-clerk", password="someone-else")

    with pytest.raises(CommandError, match="not all"):
        demo_setup()

    assert not Application.objects.exists()
