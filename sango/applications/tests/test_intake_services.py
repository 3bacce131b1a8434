"""The paper application at the counter: application_receive takes the whole 利用申請書 in one
step (all or nothing), the documents received, the 担当者, and the day a tier was checked."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sango.applications.models import Application, TierBasis
from sango.applications.services import (
    application_assign,
    application_receive,
    application_record_documents,
    application_verify_tier,
)
from sango.audit.models import AuditEvent
from sango.bookings.models import Booking
from sango.core.errors import InvalidState, ServiceError
from sango.core.tests import factories as f
from sango.mothers.models import Infant, Mother
from sango.municipalities.models import Office

pytestmark = pytest.mark.django_db
Status = Application.Status

KUMAMOTO_DOCUMENTS = ["熊本市産後ケア事業利用申請書", "世帯調書及び同意書"]


@pytest.fixture(autouse=True)
def programmes():
    f.load_programmes()


def _paper(**overrides) -> dict:
    """A 総社市 利用申請書 for twins born ten days ago, with a provisional booking."""
    born = f.days_ago(10)
    paper = {
        "mother": {
            "name": "受付 花子",
            "name_kana": "ｳｹﾂｹ ﾊﾅｺ",
            "birth_date": date(1994, 5, 20),
            "postal_code": "７１９１１３１",
            "address": "岡山県総社市中央1-1-1",
            "phone": "０８６６－９２－８２６１",
        },
        "infants": [
            {"name": "", "birth_date": born, "due_date": None},
            {"name": "", "birth_date": born, "due_date": None},
        ],
        "office_id": Office.objects.get(municipality__code=f.SOJA, code="kodomo").pk,
        "channel": "in_person",
        "requested": {"stay": 3},
        "facility_id": f.facility("kaneko-josanin").pk,
        "bookings": [
            {
                "facility": f.facility("kaneko-josanin"),
                "service": "stay",
                "start_date": born + timedelta(days=20),
                "end_date": born + timedelta(days=21),
            }
        ],
    }
    return paper | overrides


def test_receive_registers_the_mother_and_takes_the_application_in_one_step() -> None:
    clerk = f.clerk()
    application = application_receive(actor=clerk, **_paper())
    assert application.status == Status.SUBMITTED
    assert application.channel == "in_person"
    assert application.requested == {"stay": 3}
    assert application.assigned_to == clerk
    mother = application.mother
    assert (mother.name_kana, mother.postal_code, mother.phone) == (
        "ウケツケ ハナコ",
        "719-1131",
        "0866-92-8261",
    )
    assert mother.infants.count() == 2
    booking = Booking.objects.get(application=application)
    assert (booking.mother, booking.status) == (mother, Booking.Status.PROVISIONAL)
    actions = list(
        AuditEvent.objects.filter(application=application).values_list("action", flat=True)
    )
    assert actions == ["application.create", "booking.create", "application.submit"]


def test_a_baby_not_yet_born_is_kept_as_the_mothers_due_date() -> None:
    due = timezone.localdate() + timedelta(days=30)
    paper = _paper(infants=[{"name": "", "birth_date": None, "due_date": due}], bookings=[])
    application = application_receive(actor=f.clerk(), **paper)
    assert application.status == Status.SUBMITTED
    assert not application.mother.infants.exists()
    assert application.mother.due_date == due


def test_a_refused_booking_leaves_nothing_and_names_its_row() -> None:
    paper = _paper()
    paper["bookings"].append(
        {
            "facility": f.facility("kunitomi-clinic"),
            "service": "visit",  # くにとみクリニック does no home visits
            "start_date": f.days_ago(1),
            "end_date": f.days_ago(1),
        }
    )
    with pytest.raises(ServiceError) as refused:
        application_receive(actor=f.clerk(), **paper)
    assert refused.value.field == "bookings.1.service"
    assert not Mother.objects.exists()
    assert not Application.objects.exists()
    assert not Booking.objects.exists()


def test_kumamoto_takes_no_application_in_the_usage_card_period() -> None:
    paper = _paper(office_id=None, facility_id=None, bookings=[])
    with pytest.raises(ServiceError) as refused:
        application_receive(actor=f.clerk(f.KUMAMOTO), **paper)
    assert refused.value.code == "no_application"
    assert not Mother.objects.exists()


def test_kumamoto_took_a_proxy_application_with_its_documents() -> None:
    paper = _paper(
        office_id=Office.objects.get(municipality__code=f.KUMAMOTO, code="chuo").pk,
        facility_id=None,
        bookings=[],
        infants=[{"name": "", "birth_date": date(2024, 2, 10), "due_date": None}],
        submitted_at=f.at(date(2024, 3, 11), 10),
        channel="post",
        by_proxy=True,
        proxy_name="受付 太郎",
        proxy_relationship="夫",
        proxy_id_document="運転免許証",
        attorney_letter_received=True,
        documents_received=list(reversed(KUMAMOTO_DOCUMENTS)),
    )
    application = application_receive(actor=f.clerk(f.KUMAMOTO), **paper)
    assert application.by_proxy and application.proxy_name == "受付 太郎"
    assert application.documents_received == KUMAMOTO_DOCUMENTS  # the programme's order


def test_a_confirmed_duplicate_reuses_the_registered_mother() -> None:
    mother = f.mother_with_baby(born=f.days_ago(10))
    f.submitted_application(mother=mother)
    application = application_receive(actor=f.clerk(), existing_mother=mother, **_paper())
    assert application.mother == mother
    assert Mother.objects.count() == 1
    assert Infant.objects.filter(mother=mother).count() == 1


def test_another_municipalitys_mother_cannot_be_reused() -> None:
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(10))
    with pytest.raises(ServiceError) as refused:
        application_receive(actor=f.clerk(), existing_mother=mother, **_paper())
    assert refused.value.code == "forbidden"
    assert not Application.objects.exists()


# --- documents received --------------------------------------------------------------------


def _kumamoto_application():
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 2, 10))
    return f.submitted_application(mother=mother, submitted_at=f.at(date(2024, 3, 11), 10))


def test_documents_are_recorded_in_the_programmes_order_and_audited() -> None:
    application = _kumamoto_application()
    clerk = f.clerk(f.KUMAMOTO)
    application_record_documents(
        application=application, actor=clerk, received=list(reversed(KUMAMOTO_DOCUMENTS))
    )
    application = application_record_documents(
        application=application, actor=clerk, received=KUMAMOTO_DOCUMENTS[:1]
    )
    assert application.documents_received == KUMAMOTO_DOCUMENTS[:1]
    event = AuditEvent.objects.filter(action="application.documents").latest("pk")
    assert event.before == {"documents_received": KUMAMOTO_DOCUMENTS}
    assert event.after == {"documents_received": KUMAMOTO_DOCUMENTS[:1]}


def test_a_document_the_programme_does_not_ask_for_is_refused() -> None:
    application = _kumamoto_application()
    with pytest.raises(ServiceError) as refused:
        application_record_documents(
            application=application, actor=f.clerk(f.KUMAMOTO), received=["住民票"]
        )
    assert refused.value.field == "documents_received"
    application.refresh_from_db()
    assert application.documents_received == []


def test_documents_of_a_decided_application_are_not_changed() -> None:
    application = f.application_in(Status.APPROVED)
    with pytest.raises(InvalidState):
        application_record_documents(application=application, actor=f.clerk(), received=[])


def test_documents_are_recorded_by_the_municipalitys_staff_only() -> None:
    application = _kumamoto_application()
    with pytest.raises(ServiceError) as refused:
        application_record_documents(application=application, actor=f.clerk(), received=[])
    assert refused.value.code == "forbidden"


# --- the 担当者 ------------------------------------------------------------------------------


def test_a_case_is_assigned_to_a_colleague_and_audited() -> None:
    application = f.application_in(Status.SUBMITTED)
    colleague = f.approver()
    application = application_assign(application=application, actor=f.clerk(), assignee=colleague)
    assert application.assigned_to == colleague
    event = AuditEvent.objects.get(action="application.assign")
    assert event.after == {"assigned_to": colleague.pk}


@pytest.mark.parametrize("who", ["other_city", "inactive", "facility"])
def test_only_an_active_member_of_the_same_municipality_takes_a_case(who: str) -> None:
    application = f.application_in(Status.SUBMITTED)
    assignee = {
        "other_city": lambda: f.clerk(f.KUMAMOTO),
        "inactive": lambda: f.clerk(is_active=False),
        "facility": lambda: f.facility_staff("kaneko-josanin"),
    }[who]()
    with pytest.raises(ServiceError) as refused:
        application_assign(application=application, actor=f.clerk(), assignee=assignee)
    assert refused.value.field == "assignee"
    assert not AuditEvent.objects.filter(action="application.assign").exists()


def test_a_closed_case_is_not_reassigned() -> None:
    application = f.application_in(Status.REJECTED)
    with pytest.raises(InvalidState):
        application_assign(application=application, actor=f.clerk(), assignee=f.clerk())


# --- the day a tier was checked ------------------------------------------------------------


def test_the_day_the_tier_was_checked_is_in_the_audit_event() -> None:
    application = f.application_in(Status.SUBMITTED)
    application_verify_tier(
        application=application,
        actor=f.clerk(),
        tier="tax_exempt",
        basis=TierBasis.LEDGER,
        checked_on=date(2026, 4, 3),
    )
    event = AuditEvent.objects.get(action="application.verify_tier")
    assert event.after["checked_on"] == "2026-04-03"
    assert event.after["tier_basis"] == TierBasis.LEDGER
