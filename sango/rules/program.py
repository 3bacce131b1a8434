"""Compiled programmes: complete rule sets per version, ready for evaluation.

A document's later versions state only the sections that change; here every version is made
complete by carrying the omitted sections over from the version before, and every code a rule
mentions is checked to exist. Nothing here asks for "the current rules": callers pass the day.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

from sango.rules import schema as s
from sango.rules.messages import Message, message

SECTIONS = ("eligibility", "services", "caps", "money", "process")


@dataclass(frozen=True, slots=True)
class CapLink:
    """A cap that a service (or sub-type) counts towards, with units counted per unit."""

    cap: s.Cap
    weight: int


@dataclass(frozen=True)
class RuleSet:
    """The complete rules of one programme version, in force from ``effective_from``."""

    effective_from: date
    effective_until: date | None  # inclusive; None while no later version is known
    ref: str
    assumptions: tuple[str, ...]
    eligibility: s.Eligibility
    services: dict[str, s.Service]
    subtypes: dict[str, tuple[s.Service, s.Subtype]]
    caps: tuple[s.Cap, ...]
    money: s.Money
    process: s.Process
    cap_links: dict[str, tuple[CapLink, ...]] = field(default_factory=dict)

    def parent_code(self, code: str) -> str:
        """The service a sub-type belongs to, or the code itself for a service."""
        found = self.subtypes.get(code)
        return found[0].code if found else code

    def knows(self, code: str) -> bool:
        return code in self.services or code in self.subtypes

    @cached_property
    def tier_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.money.tiers)

    @cached_property
    def assumption_notices(self) -> tuple[Message, ...]:
        """Every result under this version says which of its facts are still assumptions."""
        return tuple(message("assumption", text=text) for text in self.assumptions)


@dataclass(frozen=True)
class Program:
    """One municipality's programme: identity, versions and facility contracts."""

    document: s.ProgramDocument
    path: str
    versions: tuple[RuleSet, ...]
    facilities: dict[str, s.Facility]
    _starts: tuple[date, ...] = ()
    _facility_names: dict[str, str] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.document.municipality.code

    @property
    def name(self) -> str:
        return self.document.municipality.name

    def version_on(self, day: date) -> RuleSet | None:
        """The rules in force on ``day``, or None before the first version."""
        index = bisect_right(self._starts, day) - 1
        return self.versions[index] if index >= 0 else None

    def facility(self, key: str) -> s.Facility | None:
        """A facility by id, or by its name as printed (full- or half-width alike)."""
        found = self.facilities.get(key)
        if found is None:
            found_id = self._facility_names.get(fold_name(key))
            found = self.facilities[found_id] if found_id else None
        return found

    def source_title(self, ref: str | None) -> str:
        """A reference written as ``source-id`` or ``source-id: detail``, in words."""
        if not ref:
            return ""
        key, _, detail = ref.partition(":")
        source = self.document.sources[key.strip()]
        title = f"{source.title}（{source.date}）" if source.date else source.title
        return f"{title} {detail.strip()}".strip()


def build_program(document: s.ProgramDocument, path: str) -> Program:
    """Make every version complete and index the facilities. Assumes ``check_references`` passed."""
    versions: list[RuleSet] = []
    carried: dict[str, object] = {}
    ordered = sorted(document.versions, key=lambda v: v.effective_from)
    for index, version in enumerate(ordered):
        for section in SECTIONS:
            value = getattr(version, section)
            if value is not None:
                carried[section] = value
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        until = following.effective_from - timedelta(days=1) if following else None
        versions.append(_rule_set(version, carried, until))
    facilities = {f.id: f for f in document.facilities}
    return Program(
        document=document,
        path=path,
        versions=tuple(versions),
        facilities=facilities,
        _starts=tuple(v.effective_from for v in versions),
        _facility_names={
            fold_name(name): f.id for f in document.facilities for name in (f.name, *f.aliases)
        },
    )


def _rule_set(version: s.Version, carried: dict[str, object], until: date | None) -> RuleSet:
    services: list[s.Service] = carried["services"]  # type: ignore[assignment]
    caps: list[s.Cap] = carried["caps"]  # type: ignore[assignment]
    by_code = {svc.code: svc for svc in services}
    subtypes = {sub.code: (svc, sub) for svc in services for sub in svc.subtypes}
    links: dict[str, list[CapLink]] = {}
    for cap in caps:
        for code in cap.services:
            weight = cap.weights.get(code, 1)
            members = [code]
            if code in by_code:  # a cap on a service counts all its sub-types too
                members += [sub.code for sub in by_code[code].subtypes]
            for member in members:
                links.setdefault(member, []).append(CapLink(cap, weight))
    return RuleSet(
        effective_from=version.effective_from,
        effective_until=until,
        ref=version.ref,
        assumptions=tuple(version.assumptions),
        eligibility=carried["eligibility"],  # type: ignore[arg-type]
        services=by_code,
        subtypes=subtypes,
        caps=tuple(caps),
        money=carried["money"],  # type: ignore[arg-type]
        process=carried["process"],  # type: ignore[arg-type]
        cap_links={code: tuple(found) for code, found in links.items()},
    )


def fold_name(name: str) -> str:
    """A name for look-up: NFKC (（）→ (), full-width digits → ASCII) without spaces."""
    return unicodedata.normalize("NFKC", name).replace(" ", "")


def default_program_dir() -> Path:
    """Where the programme documents shipped with Sango live."""
    return Path(__file__).resolve().parent.parent / "programs" / "documents"


def sample_program_dir() -> Path:
    """The sample documents: invented municipalities that the demo serves beside the real ones
    (ゆりかご市, which takes applications online) and the tests use."""
    return Path(__file__).resolve().parent.parent / "programs" / "samples"
