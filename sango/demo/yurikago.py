"""ゆりかご市 (sample data: an invented municipality): a programme that takes applications
online, so マイページ can be tried end to end. Neither seed document accepts online
applications (総社市 takes them at the counter, 熊本市 uses cards), hence this sample, loaded by
the demo only (``sango/programs/samples``).

Two mothers registered themselves in マイページ: ``sakura`` applied online, was interviewed by
phone and approved, and asked ゆりかごレディースクリニック for a stay that waits for the clinic's
answer; ``yuki`` has started her online application and left it half done (a draft to resume).
"""

from __future__ import annotations

from sango.applications.online import (
    online_application_submit,
    online_document_answer,
    online_draft_start,
    online_needs_save,
    online_residence_save,
)
from sango.applications.services import (
    application_approve,
    application_record_interview,
    application_verify_tier,
)
from sango.bookings.capacity import capacity_set
from sango.bookings.services import booking_request
from sango.demo.context import Demo, facility
from sango.demo.people import YURIKAGO_PEOPLE
from sango.mothers.models import Mother
from sango.mothers.services import mother_register_self
from sango.municipalities.models import Municipality

YURIKAGO = "229016"
CLINIC = "yurikago-sample-clinic"
TAX_CERTIFICATE = "市民税の課税証明書"


def build(demo: Demo) -> None:
    _places(demo)
    _sakura(demo)
    _yuki(demo)


def _places(demo: Demo) -> None:
    """The clinic takes two mothers a night and three a day."""
    clinic = demo.users["yurikago-clinic"]
    capacity_set(facility=clinic.facility, actor=clinic, service="stay", places=2)
    capacity_set(facility=clinic.facility, actor=clinic, service="day", places=3)


def _registered(demo: Demo, key: str) -> Mother:
    """Her own record, as she types it on マイページ's 「あなたと赤ちゃんの情報」."""
    person = YURIKAGO_PEOPLE[key]
    return mother_register_self(
        user=demo.users[key],
        municipality_id=Municipality.objects.get(code=YURIKAGO).pk,
        name=person.name,
        name_kana=person.name_kana,
        birth_date=person.birth_date,
        postal_code=person.postal_code,
        address=person.address,
        phone=person.phone,
        infants=[{"name": name, "birth_date": demo.delivery(person)} for name in person.infants],
    )


def _sakura(demo: Demo) -> None:
    user = demo.users["sakura"]
    mother = _registered(demo, "sakura")
    draft = online_draft_start(actor=user, mother=mother)
    online_residence_save(application=draft, actor=user, residence="resident")
    online_needs_save(application=draft, actor=user, needs=["physical_recovery"])
    online_document_answer(application=draft, actor=user, name=TAX_CERTIFICATE, answer="post")
    application = online_application_submit(application=draft, actor=user)
    clerk = demo.users["yurikago-clerk"]
    application_verify_tier(application=application, actor=clerk, tier="taxable", basis="ledger")
    application_record_interview(
        application=application,
        actor=clerk,
        conducted_at=demo.at(demo.ago(2), 14),
        method="phone",
        needs_found=["physical_recovery"],
    )
    application_approve(
        application=application,
        actor=demo.users["yurikago-approver"],
        grants={"all_days": 7},
        valid_from=demo.ago(1),
    )
    booking_request(
        facility=facility(CLINIC),
        mother=mother,
        actor=user,
        service="stay",
        start_date=demo.ahead(9),
        end_date=demo.ahead(10),
        application=application,
    )


def _yuki(demo: Demo) -> None:
    """Her details and where she lives are saved; the needs and documents wait for her."""
    user = demo.users["yuki"]
    draft = online_draft_start(actor=user, mother=_registered(demo, "yuki"))
    online_residence_save(application=draft, actor=user, residence="resident")
