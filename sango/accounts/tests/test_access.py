"""Who may see what. Every view starts from these querysets, so what is not in them is a 404:
another city's cases, another facility's records, a voucher never presented, another mother."""

from datetime import date, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from sango.accounts import access
from sango.applications.changes import change_request_submit
from sango.applications.services import application_approve
from sango.audit.models import AuditEvent
from sango.bookings.services import booking_cancel, booking_create
from sango.core.tests import factories as f
from sango.usage.services import use_record
from sango.vouchers.services import usage_card_issue

pytestmark = pytest.mark.django_db

QUERYSETS = {
    "mothers": access.mothers_visible_to,
    "applications": access.applications_visible_to,
    "change_requests": access.change_requests_visible_to,
    "vouchers": access.vouchers_visible_to,
    "bookings": access.bookings_visible_to,
    "uses": access.uses_visible_to,
    "reimbursements": access.reimbursements_visible_to,
    "claims": access.claims_visible_to,
    "audit": access.audit_visible_to,
}


def visible(user, kind: str) -> set:
    return set(QUERYSETS[kind](user))


def stay(voucher, slug: str, key: str, **extra):
    staff = f.facility_staff(slug)
    fields = {"service": "stay", "day": f.days_ago(1), "quantity": 1, "fee": 30000, **extra}
    return use_record(
        voucher_id=voucher.pk, facility=staff.facility, actor=staff, idempotency_key=key, **fields
    )


def soja_case(slug: str):
    """A 総社市 mother with an account, approved after a booking at ``slug``, one night used."""
    user = f.mother_user()
    mother = f.mother_with_baby(born=f.days_ago(30), user=user)
    application = f.interviewed_application(mother=mother)
    booking = f.provisional_booking(mother=mother, slug=slug, application=application)
    application_approve(
        application=application,
        actor=f.approver(),
        grants={"stay": 3},
        valid_from=mother.delivery_date,
    )
    voucher = f.voucher_for(application)
    use = stay(voucher, slug, f"{slug}:{mother.pk}")
    return SimpleNamespace(
        user=user, mother=mother, application=application, booking=booking, voucher=voucher, use=use
    )


@pytest.fixture
def world():
    f.load_programmes()
    a = soja_case("kaneko-josanin")
    b = soja_case("tanbobo-josanin")
    a.change = change_request_submit(
        application=a.application, actor=f.clerk(), kind="change", grants={"stay": 4}
    )
    b.reimbursement = f.reimbursement(voucher=b.voucher, by=f.clerk())
    # 熊本市: one mother with a usage card used at the central clinic, and an older application.
    c = SimpleNamespace(user=f.mother_user())
    c.mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 4, 1), user=c.user)
    c.voucher = usage_card_issue(
        mother=c.mother, actor=f.clerk(f.KUMAMOTO), tier="taxable", issued_on=date(2024, 4, 10)
    )
    c.use = stay(c.voucher, "sample-kumamoto-chuo-clinic", "chuo:1", day=date(2024, 5, 1), fee=None)
    chuo = f.facility_staff("sample-kumamoto-chuo-clinic")
    c.booking = booking_create(
        facility=chuo.facility,
        mother=c.mother,
        actor=chuo,
        service="stay",
        start_date=date(2024, 6, 1),
        end_date=date(2024, 6, 2),
    )
    older = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 2, 10))
    c.application = f.submitted_application(mother=older, submitted_at=f.at(date(2024, 3, 11), 10))
    c.reimbursement = f.reimbursement(voucher=c.voucher, by=f.clerk(f.KUMAMOTO))
    claims = SimpleNamespace(
        kaneko=f.facility_claim(slug="kaneko-josanin"),
        tanbobo=f.facility_claim(slug="tanbobo-josanin"),
        chuo=f.facility_claim(slug="sample-kumamoto-chuo-clinic", code=f.KUMAMOTO),
    )
    return SimpleNamespace(a=a, b=b, c=c, claims=claims)


def city_objects(w, city: str) -> dict[str, set]:
    if city == f.SOJA:
        return {
            "mothers": {w.a.mother, w.b.mother},
            "applications": {w.a.application, w.b.application},
            "change_requests": {w.a.change},
            "vouchers": {w.a.voucher, w.b.voucher},
            "bookings": {w.a.booking, w.b.booking},
            "uses": {w.a.use, w.b.use},
            "reimbursements": {w.b.reimbursement},
            "claims": {w.claims.kaneko, w.claims.tanbobo},
        }
    return {
        "mothers": {w.c.mother, w.c.application.mother},
        "applications": {w.c.application},
        "change_requests": set(),
        "vouchers": {w.c.voucher},
        "bookings": {w.c.booking},
        "uses": {w.c.use},
        "reimbursements": {w.c.reimbursement},
        "claims": {w.claims.chuo},
    }


# --- municipal staff -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "approver"])
@pytest.mark.parametrize("city", [f.SOJA, f.KUMAMOTO])
def test_staff_see_exactly_their_own_city(world, role: str, city: str) -> None:
    staff = getattr(f, role)(city)
    for kind, expected in city_objects(world, city).items():
        assert visible(staff, kind) == expected, kind


def test_staff_of_kumamoto_see_no_soja_audit_events(world) -> None:
    kumamoto = f.clerk(f.KUMAMOTO)
    trail = access.audit_visible_to(kumamoto)
    assert not trail.filter(application__in=[world.a.application, world.b.application]).exists()
    assert not trail.filter(target_type="vouchers.voucher", target_id=world.a.voucher.pk).exists()
    assert not trail.filter(target_type="usage.use", target_id=world.a.use.pk).exists()
    assert trail.filter(target_type="usage.use", target_id=world.c.use.pk).exists()
    assert trail.filter(application=world.c.application).exists()
    # ... while 総社市 staff see their own city's trail.
    soja_trail = access.audit_visible_to(f.clerk(f.SOJA))
    assert soja_trail.filter(application=world.a.application).exists()
    assert not soja_trail.filter(target_type="usage.use", target_id=world.c.use.pk).exists()


def test_a_looked_up_id_of_another_city_is_not_found(world) -> None:
    kumamoto = f.approver(f.KUMAMOTO)
    assert not access.applications_visible_to(kumamoto).filter(pk=world.a.application.pk).exists()
    assert not access.vouchers_visible_to(kumamoto).filter(number=world.a.voucher.number).exists()


# --- facility staff --------------------------------------------------------------------------


def test_facility_staff_see_only_their_facilitys_records(world) -> None:
    kaneko = f.facility_staff("kaneko-josanin")
    assert visible(kaneko, "uses") == {world.a.use}
    assert visible(kaneko, "bookings") == {world.a.booking}
    assert visible(kaneko, "claims") == {world.claims.kaneko}
    assert visible(kaneko, "vouchers") == {world.a.voucher}
    tanbobo = f.facility_staff("tanbobo-josanin")
    assert visible(tanbobo, "uses") == {world.b.use}
    assert visible(tanbobo, "bookings") == {world.b.booking}
    assert visible(tanbobo, "claims") == {world.claims.tanbobo}
    assert visible(tanbobo, "vouchers") == {world.b.voucher}


@pytest.mark.parametrize(
    "kind", ["mothers", "applications", "change_requests", "reimbursements", "audit"]
)
def test_facility_staff_see_no_case_files(world, kind: str) -> None:
    assert visible(f.facility_staff("kaneko-josanin"), kind) == set()


def test_a_facility_nothing_was_presented_to_sees_no_voucher(world) -> None:
    hanada = f.facility_staff("hanada-josanin")
    for kind in ("vouchers", "uses", "bookings", "claims"):
        assert visible(hanada, kind) == set(), kind


def test_a_voucher_becomes_visible_once_booked_there(world) -> None:
    kaneko = f.facility_staff("kaneko-josanin")
    assert world.b.voucher not in visible(kaneko, "vouchers")
    booking_create(
        facility=kaneko.facility,
        mother=world.b.mother,
        actor=kaneko,
        service="day",
        start_date=f.days_ago(-3),
        end_date=f.days_ago(-3),
        application=world.b.application,
    )
    assert visible(kaneko, "vouchers") == {world.a.voucher, world.b.voucher}
    # Her use at the other facility stays out of sight.
    assert world.b.use not in visible(kaneko, "uses")


def test_a_voucher_is_out_of_sight_once_the_booking_is_cancelled(world) -> None:
    """The relation that lets a facility see a voucher is live, not one that once existed."""
    kaneko = f.facility_staff("kaneko-josanin")
    booking = booking_create(
        facility=kaneko.facility,
        mother=world.b.mother,
        actor=kaneko,
        service="day",
        start_date=f.days_ago(-3),
        end_date=f.days_ago(-3),
        application=world.b.application,
    )
    assert world.b.voucher in visible(kaneko, "vouchers")
    booking_cancel(booking=booking, actor=kaneko)
    assert world.b.voucher not in visible(kaneko, "vouchers")


def test_a_voucher_used_long_ago_is_out_of_sight(world) -> None:
    kaneko = f.facility_staff("kaneko-josanin")
    stay(world.b.voucher, "kaneko-josanin", "long-ago", day=f.days_ago(2))
    assert world.b.voucher in visible(kaneko, "vouchers")
    later = timezone.localdate() + timedelta(days=access.RECENT_USE_DAYS + 1)
    with mock.patch("sango.accounts.access.timezone.localdate", return_value=later):
        assert world.b.voucher not in visible(kaneko, "vouchers")


def test_a_voucher_becomes_visible_once_used_there(world) -> None:
    kaneko = f.facility_staff("kaneko-josanin")
    stay(world.b.voucher, "kaneko-josanin", "walk-in", day=f.days_ago(2))
    assert visible(kaneko, "vouchers") == {world.a.voucher, world.b.voucher}


def test_a_voucher_used_often_is_listed_once(world) -> None:
    kaneko = f.facility_staff("kaneko-josanin")
    stay(world.a.voucher, "kaneko-josanin", "second", day=f.days_ago(2))
    assert list(access.vouchers_visible_to(kaneko)) == [world.a.voucher]


def test_a_usage_card_is_visible_only_where_it_was_used(world) -> None:
    assert visible(f.facility_staff("sample-kumamoto-chuo-clinic"), "vouchers") == {world.c.voucher}
    assert visible(f.facility_staff("sample-kumamoto-higashi-josanin"), "vouchers") == set()
    assert visible(f.facility_staff("kaneko-josanin"), "uses") == {world.a.use}


# --- mothers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["a", "b"])
def test_a_mother_sees_only_her_own_case(world, who: str) -> None:
    own, other = getattr(world, who), getattr(world, "b" if who == "a" else "a")
    expected = {
        "mothers": {own.mother},
        "applications": {own.application},
        "vouchers": {own.voucher},
        "bookings": {own.booking},
        "uses": {own.use},
        "change_requests": {own.change} if hasattr(own, "change") else set(),
        "reimbursements": {own.reimbursement} if hasattr(own, "reimbursement") else set(),
        "claims": set(),
        "audit": set(),
    }
    for kind, objects in expected.items():
        assert visible(own.user, kind) == objects, kind
    assert not access.vouchers_visible_to(own.user).filter(pk=other.voucher.pk).exists()


def test_a_mother_with_a_usage_card_sees_her_card_and_uses(world) -> None:
    assert visible(world.c.user, "vouchers") == {world.c.voucher}
    assert visible(world.c.user, "uses") == {world.c.use}
    assert visible(world.c.user, "applications") == set()


def test_an_account_not_linked_to_a_mother_sees_nothing(world) -> None:
    stranger = f.mother_user()
    for kind in QUERYSETS:
        assert visible(stranger, kind) == set(), kind


# --- administrators --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(f.admin, id="admin-role"),
        pytest.param(lambda: f.UserFactory(is_superuser=True), id="superuser"),
    ],
)
def test_administrators_see_everything(world, make) -> None:
    admin = make()
    for kind, qs in QUERYSETS.items():
        model = qs(admin).model
        assert qs(admin).count() == model.objects.count() > 0, kind
    assert access.audit_visible_to(admin).count() == AuditEvent.objects.count()
