"""A fiscal year (年度, April to March) and what a programme calls things during it: the names
of its services, tiers and funding sources, and the unit each service counts in.

Reports group stored codes (``stay``, ``day_3h``, ``tax_exempt``, ``national``); the page and
the files show the programme's words for them, from the versions in force during the year
(the latest one that names a code wins, so a renamed service shows its current name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sango.core.wareki import fiscal_year, wareki
from sango.programs.rules_for import program_for
from sango.programs.selectors import service_name
from sango.rules.program import Program, RuleSet

# Words for the payers of a financing declaration (負担割合); the prefecture and the
# municipality are named by the programme document itself.
NATIONAL = "国"


@dataclass(frozen=True)
class FiscalYear:
    """年度 ``year``: 1 April ``year`` to 31 March ``year + 1``, both inclusive."""

    year: int

    @classmethod
    def of(cls, day: date) -> FiscalYear:
        return cls(fiscal_year(day))

    @property
    def first(self) -> date:
        return date(self.year, 4, 1)

    @property
    def last(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def months(self) -> list[date]:
        """The first day of each month, April first."""
        return [date(self.year + (m < 4), m, 1) for m in (*range(4, 13), 1, 2, 3)]

    @property
    def label(self) -> str:
        """令和8年度. A year in which the era changed is named by the new era, as the
        government does (FY2019, begun under 平成31年, is 令和元年度): the era of 31 December."""
        return wareki(date(self.year, 12, 31), month_only=True).split("年")[0] + "年度"

    def month_label(self, month: date) -> str:
        """令和8年4月."""
        return wareki(month, month_only=True)


@dataclass(frozen=True)
class Vocabulary:
    """A programme's words for the codes stored on its uses during one fiscal year."""

    program: Program
    year: FiscalYear

    @cached_property
    def versions(self) -> list[RuleSet]:
        """The versions in force on some day of the year, latest last."""
        return [
            v
            for v in self.program.versions
            if v.effective_from <= self.year.last
            and (v.effective_until is None or v.effective_until >= self.year.first)
        ] or list(self.program.versions[-1:])

    def _latest(self, knows) -> RuleSet | None:
        for rules in reversed(self.versions):
            if knows(rules):
                return rules
        for rules in reversed(self.program.versions):
            if knows(rules):
                return rules
        return None

    def service(self, code: str) -> str:
        """宿泊型, or 日帰り型 3時間型 for a sub-type; the code when no version knows it."""
        rules = self._latest(lambda r: r.knows(code))
        return service_name(rules, code) if rules else code

    def parent(self, code: str) -> str:
        rules = self._latest(lambda r: r.knows(code))
        return rules.parent_code(code) if rules else code

    def unit(self, code: str) -> str | None:
        """The unit the service (or the sub-type's service) counts in: night, day, visit …"""
        rules = self._latest(lambda r: r.knows(code))
        return rules.services[rules.parent_code(code)].unit if rules else None

    def service_order(self) -> list[str]:
        """Service and sub-type codes in the order the latest version lists them."""
        order: list[str] = []
        for rules in reversed(self.versions):
            for service in rules.services.values():
                for code in (service.code, *(t.code for t in service.subtypes)):
                    if code not in order:
                        order.append(code)
        return order

    def tier(self, code: str) -> str:
        rules = self._latest(lambda r: code in r.tier_codes)
        return next(t.name for t in rules.money.tiers if t.code == code) if rules else code

    def tier_order(self) -> list[str]:
        order: list[str] = []
        for rules in reversed(self.versions):
            order += [c for c in rules.tier_codes if c not in order]
        return order

    def sources(self) -> list[str]:
        """Funding sources in the order the layers first name them."""
        order: list[str] = []
        for rules in self.versions:
            for layer in rules.money.funding:
                if layer.source not in order:
                    order.append(layer.source)
        return order

    def source(self, code: str) -> str:
        """A funding source by the names of its layers in force during the year, e.g.
        国の減免（非課税世帯）・国の減免（全ての利用者）."""
        names: list[str] = []
        for rules in self.versions:
            for layer in rules.money.funding:
                if layer.source == code and self._layer_in_year(layer) and layer.name not in names:
                    names.append(layer.name)
        return "・".join(names) or code

    def _layer_in_year(self, layer) -> bool:
        return (layer.valid_from is None or layer.valid_from <= self.year.last) and (
            layer.valid_until is None or layer.valid_until >= self.year.first
        )

    def payer(self, code: str) -> str:
        """国, 岡山県, 総社市: who a financing share (負担割合) falls to."""
        municipality = self.program.document.municipality
        return {"national": NATIONAL, "prefecture": municipality.prefecture}.get(
            code, municipality.name
        )


def vocabulary(municipality_code: str, year: FiscalYear) -> Vocabulary:
    return Vocabulary(program_for(municipality_code), year)
