"""熊本市: usage cards since 2024-04-01 (利用カード方式). No applications: the card comes with the
maternal and child health handbook and the facility checks eligibility at each use. The
facilities and their fees are the programme document's invented sample data."""

from __future__ import annotations

from datetime import timedelta

from sango.applications.models import TierBasis
from sango.billing.services import claim_generate
from sango.demo.context import Demo
from sango.demo.people import KUMAMOTO_PEOPLE
from sango.municipalities.models import Municipality
from sango.vouchers.models import Voucher
from sango.vouchers.services import usage_card_issue

KUMAMOTO = "431001"
CHUO_CLINIC = "sample-kumamoto-chuo-clinic"
HIGASHI_JOSANIN = "sample-kumamoto-higashi-josanin"
KANEKO = "kaneko-josanin"


def build(demo: Demo) -> None:
    """Two mothers with cards, their uses at the sample facilities, a draft claim."""
    clinic = demo.users["kumamoto-clinic"]
    misaki = _card(demo, "misaki", tier="taxable", user=demo.users["misaki"])
    # 日帰り型 by its times: 10:00–13:00 is three hours, so 3時間型 (over 2 h, up to 3 h).
    demo.use(
        misaki,
        CHUO_CLINIC,
        clinic,
        service="day",
        start=demo.at(demo.day(7), 10),
        end=demo.at(demo.day(7), 13),
    )
    # Staying with her parents in 倉敷 (里帰り), she used かねこ助産院, which also serves 総社市:
    # one facility, two municipalities, each use judged under its own city's rules.
    demo.use(
        misaki,
        KANEKO,
        demo.users["kaneko"],
        service="day",
        start=demo.at(demo.day(16), 10),
        end=demo.at(demo.day(16), 13),
    )
    aoi = _card(demo, "higashi", tier="tax_exempt")
    # 宿泊型 1泊2日: in at 10:00, out at noon the next day.
    demo.use(
        aoi,
        CHUO_CLINIC,
        clinic,
        service="stay",
        start=demo.at(demo.day(12), 10),
        end=demo.at(demo.day(13), 12),
    )
    # ひがし助産院 has no login in the demo: 東区's staff entered its paper report (2時間型).
    demo.use(
        aoi,
        HIGASHI_JOSANIN,
        demo.users["kumamoto-clerk"],
        service="day",
        start=demo.at(demo.day(19), 13),
        end=demo.at(demo.day(19), 15),
    )
    claim_generate(
        facility=clinic.facility,
        municipality=Municipality.objects.get(code=KUMAMOTO),
        month=demo.month,
        actor=clinic,
    )


def _card(demo: Demo, key: str, *, tier: str, user=None) -> Voucher:
    """The mother, and her 利用カード. The handbook comes in pregnancy, but the service needs
    the registered birth, so the card is issued once the birth is known."""
    person = KUMAMOTO_PEOPLE[key]
    mother = demo.mother(person, KUMAMOTO, user=user)
    return usage_card_issue(
        mother=mother,
        actor=demo.users["kumamoto-clerk"],
        tier=tier,
        tier_basis=TierBasis.LEDGER,
        issued_on=demo.delivery(person) + timedelta(days=3),
    )
