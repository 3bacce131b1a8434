"""施設をさがす, the programme's side: which of a municipality's facilities a mother can use for
her baby, until which day, and what she would pay per unit — read from the programme document
through the rules core, with no database.

A service's last day is the earliest end of the windows that bind it (the programme's, the
service's and the facility's contract), counted from the birth (or the due date, before the
birth), under the version in force on each day of service: where a later version is known, the
days it covers are judged by its rules. The copay is the quote simulator's judgement
(``quotes.quote_use``) of one unit on her first usable day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sango.programs.quotes import quote_use
from sango.programs.selectors import FacilityRow, programme_page, service_name
from sango.programs.templatetags.programmes import unit_name
from sango.rules import schema as s
from sango.rules.errors import RequestError
from sango.rules.program import Program, RuleSet
from sango.rules.windows import Window

# 岡山市北区西花尻 → 岡山市北区; 倉敷市松島 → 倉敷市; 静岡県ゆりかご市中央 → ゆりかご市.
_AREA = re.compile(
    r"^(?:東京都|北海道|(?:京都|大阪)府|.{2,3}県)?(?P<city>.+?[市区町村])(?P<ward>[^市区町村\d]{1,4}区)?"
)


def area_of(address: str) -> str:
    """The municipality (and ward of a designated city) a facility's address lies in: what
    the finder filters by. The address itself when it names none."""
    match = _AREA.match(address.strip())
    if match is None:
        return address.strip()
    return match["city"] + (match["ward"] or "")


@dataclass(frozen=True)
class Usable:
    """When one service of one facility can be used for a baby: ``first_day`` to ``last_day``
    (inclusive; None when never again), the window that ends it (or ended it), and the day a
    later version of the rules takes over inside that period (None when one version covers
    it)."""

    first_day: date
    last_day: date | None
    window: Window | None
    changes_on: date | None


def usable(
    program: Program, facility: s.Facility | None, code: str, *, start: date, today: date
) -> Usable:
    """The days from ``today`` (and not before ``start``, the birth or due date) on which
    ``code`` at ``facility`` (None: the programme's own window) falls inside every window."""
    first = max(today, start)
    if facility is not None and facility.effective_from and facility.effective_from > first:
        first = facility.effective_from
    last: date | None = None
    binding: Window | None = None
    versions_used: list[RuleSet] = []
    for rules in program.versions:
        until = rules.effective_until or date.max
        if facility is not None and facility.effective_until:
            until = min(until, facility.effective_until)
        low = max(first, rules.effective_from)
        if until < low or (code and not rules.knows(code)):
            continue
        window, ends = _narrowest(rules, facility, code, start)
        binding = binding or window  # a window that has passed still says which it was
        high = min(until, ends)
        if low <= high:
            last, binding = high, window
            versions_used.append(rules)
    changes_on = versions_used[1].effective_from if len(versions_used) > 1 else None
    return Usable(first, last, binding, changes_on)


def _narrowest(
    rules: RuleSet, facility: s.Facility | None, code: str, start: date
) -> tuple[Window, date]:
    """The window of ``code`` that ends first under ``rules``, and its last day."""
    windows = [rules.eligibility.postpartum_window]
    if code:
        service = rules.services[rules.parent_code(code)]
        windows.append(service.window)
        contract = facility.services.get(code) if facility is not None else None
        windows.append(contract.window if contract else None)
    ends = [(w.last_day(start), w) for w in windows if w is not None]
    last, window = min(ends, key=lambda pair: pair[0])
    return window, last


@dataclass(frozen=True)
class Copay:
    """What she would pay per unit (yen) for one tier; None where the fee is not known."""

    tier: str  # the tier's name, as the programme writes it
    amount: int | None


@dataclass(frozen=True)
class Price:
    """A contract code's copays: for her tier, or for every tier when she does not know hers."""

    label: str  # the sub-type's name (3時間型), or "" for the service itself
    copays: tuple[Copay, ...]

    @property
    def known(self) -> bool:
        return any(c.amount is not None for c in self.copays)


@dataclass(frozen=True)
class ServiceOffer:
    """One service of a facility for her baby: the programme's name, the unit, the contract
    codes that book it (a service, or its sub-types), and when it can be used."""

    service: str  # the place's code, as the bookings count it (stay, day, visit)
    name: str
    unit: str  # 泊・日・回
    codes: tuple[str, ...]
    usable: Usable


@dataclass(frozen=True)
class FacilityOffer:
    """A facility in force today, as the finder lists it."""

    row: FacilityRow  # name, kind, address, phone and contact-first sentence of the page
    area: str
    services: tuple[ServiceOffer, ...]

    @property
    def id(self) -> str:
        return self.row.facility.id

    def usable_for(self, service: str = "") -> bool:
        """Whether any (or the named) service still has a day left."""
        return any(
            o.usable.last_day is not None for o in self.services if service in ("", o.service)
        )


def facility_offers(program: Program, *, start: date, today: date) -> list[FacilityOffer]:
    """Every facility of ``program`` in force today with the services it offers and their
    usable days for a baby born (or due) on ``start``, in the document's order."""
    page = programme_page(program, today, today=today)
    if page.rules is None:
        return []
    offers = []
    for row in page.facilities:
        grouped: dict[str, list[str]] = {}
        for code in row.facility.services:
            if page.rules.knows(code):
                grouped.setdefault(page.rules.parent_code(code), []).append(code)
        services = tuple(
            _service_offer(program, page.rules, row.facility, parent, codes, start, today)
            for parent, codes in grouped.items()
        )
        offers.append(FacilityOffer(row, area_of(row.facility.address), services))
    return offers


def _service_offer(
    program: Program,
    rules: RuleSet,
    facility: s.Facility,
    parent: str,
    codes: list[str],
    start: date,
    today: date,
) -> ServiceOffer:
    found = [usable(program, facility, code, start=start, today=today) for code in codes]
    # Sub-types of one service share a window in every document we hold; where they do not,
    # the one that lasts longest says until when the service can be used at all.
    longest = max(found, key=lambda u: u.last_day or date.min)
    service = rules.services[parent]
    return ServiceOffer(parent, service.name, unit_name(service.unit), tuple(codes), longest)


def prices(
    program: Program,
    facility_id: str,
    offer: ServiceOffer,
    *,
    tier: str | None,
    start: date,
    infants: int,
    lang: str,
) -> tuple[Price, ...]:
    """Her copay per unit for each code of ``offer`` on its first usable day: for ``tier``,
    or for every tier of the programme when ``tier`` is None. Nothing once the window has
    passed."""
    day = offer.usable.first_day
    rules = program.version_on(day)
    if offer.usable.last_day is None or rules is None:
        return ()
    tiers = [t for t in rules.money.tiers if tier in (None, t.code)]
    found = []
    for code in offer.codes:
        copays = tuple(
            Copay(t.name, _copay(program, facility_id, code, t.code, day, start, infants, lang))
            for t in tiers
        )
        label = service_name(rules, code).removeprefix(offer.name).strip()
        found.append(Price(label, copays))
    return tuple(found)


def _copay(
    program: Program,
    facility_id: str,
    code: str,
    tier: str,
    day: date,
    start: date,
    infants: int,
    lang: str,
) -> int | None:
    data = {
        "municipality": program.code,
        "service": code,
        "date": day.isoformat(),
        "tier": tier,
        "birth_date": start.isoformat(),
        "infants": infants,
        "facility": facility_id,
    }
    try:
        quote = quote_use(program, data, lang=lang)
    except RequestError:  # the fee is not in the document: the facility tells her
        return None
    return quote.copay if quote.eligible else None
