"""The quote simulator's read side: what the form offers, and one use judged for display.

The judgement itself is the rules core's (``request_from_dict`` + ``evaluate``); this module
only names what the form may choose from on a day and turns a ``Result`` into what the result
card shows. Money stays integer yen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.utils.translation import gettext, gettext_lazy

from sango.programs.selectors import facilities_on, service_name
from sango.programs.templatetags.programmes import (
    duration,
    humanise,
    jdate,
    sentence,
    unit_name,
    yen,
)
from sango.rules.evaluate import evaluate
from sango.rules.messages import Message
from sango.rules.program import Program, RuleSet
from sango.rules.request import request_from_dict

# Explanation lines name the rule they apply (``cap:stay``); these say it in words.
RULE_NAMES = {
    "version": gettext_lazy("適用する制度"),
    "subtype": gettext_lazy("サービスの区分"),
    "residence": gettext_lazy("お住まい"),
    "window": gettext_lazy("利用できる期間"),
    "service_window": gettext_lazy("サービスの期間"),
    "facility_window": gettext_lazy("施設の対象期間"),
    "facility": gettext_lazy("施設"),
    "cap": gettext_lazy("利用上限"),
    "funding": gettext_lazy("負担額"),
}
RESIDENCES = {
    "resident": gettext_lazy("住民"),
    "temporary_return": gettext_lazy("里帰り"),
    "non_resident": gettext_lazy("住民ではない"),
}


@dataclass(frozen=True)
class Choices:
    """What the simulator's form offers under the version in force on a day."""

    rules: RuleSet
    services: tuple[tuple[str, str], ...]
    tiers: tuple[tuple[str, str], ...]
    facilities: tuple[tuple[str, str], ...]
    caps: tuple[tuple[str, str], ...]  # (cap code, label with its unit)
    exclusions: tuple[tuple[str, str], ...]
    needs: tuple[tuple[str, str], ...]


def quote_choices(program: Program, day: date) -> Choices:
    """The form's choices on ``day``; before the first version, the first version's."""
    rules = program.version_on(day) or program.versions[0]
    services: list[tuple[str, str]] = []
    for service in rules.services.values():
        if service.subtypes:
            label = gettext("%(name)s（利用時間から区分を判定）") % {"name": service.name}
            services.append((service.code, label))
            for sub in service.subtypes:
                label = f"{service.name} {sub.name}（{duration(sub.duration)}）"
                services.append((sub.code, label))
        else:
            services.append((service.code, service.name))
    sample = gettext("サンプル")
    elig = rules.eligibility
    return Choices(
        rules=rules,
        services=tuple(services),
        tiers=tuple((t.code, t.name) for t in rules.money.tiers),
        facilities=tuple(
            (f.id, f"{f.name}（{sample}）" if f.sample and sample not in f.name else f.name)
            for f in facilities_on(program, day)
        ),
        caps=tuple((cap.code, f"{cap.name}（{unit_name(cap.unit)}）") for cap in rules.caps),
        exclusions=tuple((c.code, c.label) for c in elig.exclusions),
        needs=tuple((c.code, c.label) for c in elig.needs.conditions),
    )


@dataclass(frozen=True)
class CapUse:
    name: str
    unit: str
    counted: int | None
    remaining: int | None

    @cached_property
    def text(self) -> str:
        """``短期入所型: 今回 1泊、残り 6泊``."""
        if self.counted is None:
            return sentence(
                gettext("%(name)s: 残り %(remaining)s%(unit)s"),
                name=self.name,
                remaining=self.remaining,
                unit=self.unit,
            )
        return sentence(
            gettext("%(name)s: 今回 %(counted)s%(unit)s、残り %(remaining)s%(unit)s"),
            name=self.name,
            counted=self.counted,
            remaining=self.remaining,
            unit=self.unit,
        )


@dataclass(frozen=True)
class Explanation:
    rule: str
    detail: str
    source: str


@dataclass(frozen=True)
class Quote:
    """One use judged, ready for the result card. Money in integer yen."""

    eligible: bool
    reasons: tuple[str, ...]
    service: str
    quantity: int
    unit: str
    version_from: date | None
    fee: int | None  # yen per unit
    subsidy: int
    copay: int | None
    funding: tuple[tuple[str, int], ...]  # (payer's layer name, yen)
    caps: tuple[CapUse, ...]
    notices: tuple[str, ...]
    explanation: tuple[Explanation, ...]

    @property
    def total_fee(self) -> int | None:
        return None if self.fee is None else self.fee * self.quantity

    @cached_property
    def use_text(self) -> str:
        """``短期入所型 1泊``, and the version it was judged under."""
        text = sentence(
            gettext("%(service)s %(quantity)s%(unit)s"),
            service=self.service,
            quantity=self.quantity,
            unit=self.unit,
        )
        if self.version_from is None:
            return text
        version = sentence(gettext("%(day)sからの制度で計算"), day=jdate(self.version_from))
        return sentence("%(use)s ・ %(version)s", use=text, version=version)

    @cached_property
    def fee_text(self) -> str | None:
        """``利用料金 30,000円 × 1泊 = 30,000円``; None without a fee."""
        if self.fee is None:
            return None
        return sentence(
            gettext("利用料金 %(fee)s × %(quantity)s%(unit)s = %(total)s"),
            fee=yen(self.fee),
            quantity=self.quantity,
            unit=self.unit,
            total=yen(self.total_fee),
        )


def quote_use(program: Program, data: dict, *, lang: str) -> Quote:
    """Judge one use given as a request object (see ``request_from_dict``).

    Raises ``RequestError`` naming the field the rules core could not read.
    """
    request = request_from_dict(data)
    result = evaluate(program, request, explain=True)
    rules = program.version_on(request.day)
    if rules is None:
        unit, name, caps = "", result.service, ()
    else:
        parent = rules.services.get(rules.parent_code(result.service))
        unit = unit_name(parent.unit) if parent else ""
        name = service_name(rules, result.service)
        caps = tuple(
            CapUse(
                name=cap.name,
                unit=unit_name(cap.unit),
                counted=result.counted.get(cap.code),
                remaining=result.remaining.get(cap.code),
            )
            for cap in rules.caps
            if cap.code in result.counted or cap.code in result.remaining
        )
    return Quote(
        eligible=result.eligible,
        reasons=tuple(_say(m, lang) for m in result.reasons),
        service=name,
        quantity=result.quantity,
        unit=unit,
        version_from=result.version,
        fee=result.fee,
        subsidy=result.subsidy,
        copay=result.copay,
        funding=tuple((p.name, p.amount) for p in result.funding),
        caps=caps,
        notices=tuple(_say(m, lang) for m in result.notices),
        explanation=tuple(
            Explanation(
                rule=str(RULE_NAMES.get(rule.partition(":")[0], rule)),
                detail=str(RESIDENCES[detail]) if rule == "residence" else humanise(detail),
                source=program.source_title(ref),
            )
            for rule, detail, ref in result.explanation
        ),
    )


def _say(message: Message, lang: str) -> str:
    """A reason or notice in the page's language, with its dates in 和暦 and yen separated."""
    return humanise(message.render(lang))
