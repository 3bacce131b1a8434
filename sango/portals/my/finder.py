"""施設をさがす, what the page reads: her criteria (kept in the session, never in an address),
the facilities of her municipality for her baby (``sango.programs.finder``), filtered by
service and area, usable ones first, a page at a time, each with its availability for the
coming two weeks (``sango.bookings.selectors.availability_of_facilities``) and her copay.

The page costs the same few queries whatever the number of facilities: one for the facilities
of the page and the availability's fixed handful.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator

from sango.bookings.selectors import UNSET, DayAvailability, availability_of_facilities
from sango.facilities.models import Facility
from sango.programs import finder
from sango.programs.rules_for import tier_name
from sango.rules.program import Program

PER_PAGE = 8  # facilities per page: about four phone screens
STRIP_DAYS = 14  # the availability shown: the coming two weeks
SESSION_KEY = "my_find"


@dataclass(frozen=True)
class Criteria:
    """What she told the finder: kept in her session only (the birth date and the household
    tier are personal)."""

    municipality: str
    start: date  # the birth, or the due date before it
    born: bool
    infants: int
    tier: str  # a tier code of the programme, or "" when she does not know it

    def store(self, session: Any) -> None:
        session[SESSION_KEY] = {**asdict(self), "start": self.start.isoformat()}

    @classmethod
    def stored(cls, session: Any, municipality: str) -> Criteria | None:
        """Her criteria for ``municipality``, or None when she has given none (or for another)."""
        kept = session.get(SESSION_KEY)
        if not kept or kept.get("municipality") != municipality:
            return None
        try:
            return cls(**{**kept, "start": date.fromisoformat(kept["start"])})
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class ServiceCard:
    offer: finder.ServiceOffer
    prices: tuple[finder.Price, ...]
    strip: tuple[DayAvailability, ...]  # empty when none of its days can be shown

    @property
    def runs(self) -> tuple[tuple[date, date, str], ...]:
        """The strip in words, days of one state together: (first, last, 空きあり) …, what a
        screen reader reads instead of the symbols."""
        found: list[list] = []
        for d in self.strip:
            if found and found[-1][2] == d.label:
                found[-1][1] = d.day
            else:
                found.append([d.day, d.day, d.label])
        return tuple((first, last, label) for first, last, label in found)

    @property
    def ask_facility(self) -> bool:
        """Neither the fee nor the availability is known: one sentence says to ask for both."""
        return self.strip_unset and not any(p.known for p in self.prices)

    @property
    def strip_unset(self) -> bool:
        """The facility has set no capacity: the page says to ask it instead of a strip."""
        return bool(self.strip) and all(d.state == UNSET for d in self.strip)


@dataclass(frozen=True)
class Card:
    offer: finder.FacilityOffer
    services: tuple[ServiceCard, ...]
    usable: bool


@dataclass(frozen=True)
class Results:
    program: Program
    criteria: Criteria
    page: Page
    cards: tuple[Card, ...]
    services: tuple[tuple[str, str], ...]  # the filter's choices: (code, name)
    areas: tuple[str, ...]
    service: str
    area: str
    usable_count: int
    passed_count: int
    strip_from: date
    strip_to: date
    tier_name: str  # her tier in the programme's words, "" when she does not know it


def find(
    program: Program,
    criteria: Criteria,
    *,
    service: str,
    area: str,
    page_number: str | int | None,
    today: date,
    lang: str,
) -> Results:
    """The page ``page_number`` of the facilities for her criteria; an unknown ``service`` or
    ``area`` filters nothing."""
    offers = finder.facility_offers(program, start=criteria.start, today=today)
    services = _service_choices(offers)
    areas = tuple(sorted({o.area for o in offers}))
    service = service if service in dict(services) else ""
    area = area if area in areas else ""
    chosen = [
        o
        for o in offers
        if (not area or o.area == area)
        and (not service or any(s.service == service for s in o.services))
    ]
    usable = [o for o in chosen if o.usable_for(service)]
    passed = [o for o in chosen if not o.usable_for(service)]
    page = Paginator(usable + passed, PER_PAGE).get_page(page_number)
    first = max(today, criteria.start)
    last = first + timedelta(days=STRIP_DAYS - 1)
    cards = _cards(program, criteria, list(page.object_list), service, (first, last), today, lang)
    return Results(
        program=program,
        criteria=criteria,
        page=page,
        cards=cards,
        services=services,
        areas=areas,
        service=service,
        area=area,
        usable_count=len(usable),
        passed_count=len(passed),
        strip_from=first,
        strip_to=last,
        tier_name=tier_name(program.code, criteria.tier) if criteria.tier else "",
    )


def _service_choices(offers: list[finder.FacilityOffer]) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for offer in offers:
        for s in offer.services:
            found.setdefault(s.service, s.name)
    return tuple(found.items())


def _cards(
    program: Program,
    criteria: Criteria,
    offers: list[finder.FacilityOffer],
    service: str,
    strip: tuple[date, date],
    today: date,
    lang: str,
) -> tuple[Card, ...]:
    facilities = list(Facility.objects.filter(slug__in=[o.id for o in offers]))
    by_slug = {f.slug: f for f in facilities}
    days = availability_of_facilities(facilities, *strip, today=today)
    cards = []
    for offer in offers:
        facility = by_slug.get(offer.id)
        strips = days.get(facility.pk, {}) if facility else {}
        services = []
        for s in offer.services:
            if service and s.service != service:
                continue
            services.append(
                ServiceCard(
                    offer=s,
                    prices=finder.prices(
                        program,
                        offer.id,
                        s,
                        tier=criteria.tier or None,
                        start=criteria.start,
                        infants=criteria.infants,
                        lang=lang,
                    ),
                    strip=_within(strips.get(s.service, []), s.usable),
                )
            )
        cards.append(Card(offer, tuple(services), offer.usable_for(service)))
    return tuple(cards)


def _within(days: list[DayAvailability], usable: finder.Usable) -> tuple[DayAvailability, ...]:
    """The days of the strip she can still use the service on."""
    if usable.last_day is None:
        return ()
    return tuple(d for d in days if usable.first_day <= d.day <= usable.last_day)
