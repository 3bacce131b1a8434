"""What the public programme pages show, read from the programme registry for a given day.

Nothing here knows a municipality: every name, amount and rule comes from the programme
documents through ``get_registry()``. Every function takes the day it describes, because a page
shows the rules in force on that day (STYLE.md 3). The quote simulator's judgement lives in
``sango.programs.quotes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from sango.programs.registry import get_registry
from sango.programs.templatetags.programmes import (
    english,
    jdate,
    sentence,
    tel,
    unit_name,
    window_label,
    yen,
)
from sango.rules import schema as s
from sango.rules.program import Program, RuleSet

MODES = {
    "pre_application": gettext_lazy("事前申請"),
    "usage_card": gettext_lazy("利用カード"),
}
KINDS = {
    "hospital": gettext_lazy("病院"),
    "clinic": gettext_lazy("診療所"),
    "midwife_home": gettext_lazy("助産院"),
    "other": gettext_lazy("その他"),
}
CHANNELS = {
    "in_person": gettext_lazy("窓口"),
    "post": gettext_lazy("郵送"),
    "online": gettext_lazy("オンライン"),
    "proxy": gettext_lazy("代理の方による申請"),
}
INTERVIEW_METHODS = {
    "in_person": pgettext_lazy("interview", "面接"),
    "phone": pgettext_lazy("interview", "電話"),
    "visit": pgettext_lazy("interview", "家庭訪問"),
}
ROUNDING = {
    "floor": gettext_lazy("1円未満は切り捨て"),
    "ceil": gettext_lazy("1円未満は切り上げ"),
    "half_up": gettext_lazy("1円未満は四捨五入"),
}


def get_program(code: str) -> Program | None:
    """A loaded programme by municipality code, or None."""
    return get_registry().get(code)


def programmes() -> list[Program]:
    """Every loaded programme, by municipality code."""
    return list(get_registry())


def facilities_on(program: Program, day: date) -> list[s.Facility]:
    """The facilities whose contract is in force on ``day`` (both ends inclusive)."""
    return [
        f
        for f in program.facilities.values()
        if (f.effective_from is None or f.effective_from <= day)
        and (f.effective_until is None or day <= f.effective_until)
    ]


def service_name(rules: RuleSet, code: str) -> str:
    """A service's name, or ``日帰り型 1日型`` for a sub-type; the code itself when unknown."""
    if code in rules.subtypes:
        service, subtype = rules.subtypes[code]
        return f"{service.name} {subtype.name}"
    service = rules.services.get(code)
    return service.name if service else code


# --- the list of programmes -------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """One line of the list: a municipality and the version in force on the day."""

    code: str
    name: str
    prefecture: str
    version_from: date | None  # None before the first version
    mode: str | None
    facilities: int


def programme_summaries(day: date) -> list[Summary]:
    """Every loaded programme, by municipality code, as in force on ``day``."""
    summaries = []
    for program in get_registry():
        rules = program.version_on(day)
        summaries.append(
            Summary(
                code=program.code,
                name=program.name,
                prefecture=program.document.municipality.prefecture,
                version_from=rules.effective_from if rules else None,
                mode=MODES[rules.process.mode] if rules else None,
                facilities=len(facilities_on(program, day)),
            )
        )
    return summaries


# --- one programme's page ---------------------------------------------------------------------


@dataclass(frozen=True)
class VersionLink:
    effective_from: date
    effective_until: date | None  # inclusive
    shown: bool
    in_force_today: bool


@dataclass(frozen=True)
class CapRow:
    cap: s.Cap
    members: str  # the services counted, joined with ・
    weights: tuple[tuple[str, int], ...]  # (service name, units counted per unit)


@dataclass(frozen=True)
class MoneyTable:
    """A tiers × services table. Cells are formatted (yen, percent or amounts by use)."""

    caption: str
    columns: tuple[tuple[str, str], ...]  # (service name, "1泊あたり")
    rows: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (tier, ((column, cell), ...))


@dataclass(frozen=True)
class FundingView:
    layer: s.Funding
    rule: str  # the rule in one sentence
    tables: tuple[MoneyTable, ...]
    addition: str | None  # 多胎児加算 in one sentence, when it is the same for everyone
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class FacilityService:
    name: str
    window: object  # Window
    own_window: bool  # the facility's contract narrows the window
    fee: int | None
    additional_infant_fee: int | None
    # As the page shows them, made here once: the list repeats them for every facility.
    window_label: str = ""
    fee_text: str = ""  # 料金 12,000円
    additional_fee_text: str = ""  # 2人目以降の赤ちゃん 3,000円


@dataclass(frozen=True)
class FacilityRow:
    facility: s.Facility
    kind: str
    services: tuple[FacilityService, ...]
    contact_office: s.Office | None
    phone_href: str = ""  # tel:0866928261
    contact_text: str = ""  # 利用を希望するときは、まず…へ連絡してください。
    contact_href: str = ""


@dataclass(frozen=True)
class ProgrammePage:
    """Everything the page of one programme shows for one day."""

    program: Program
    day: date
    today: date
    rules: RuleSet | None  # None when the day is before the first version
    versions: tuple[VersionLink, ...]
    later: RuleSet | None  # the next version after the one shown
    mode: str | None
    caps: tuple[CapRow, ...] = ()
    funding: tuple[FundingView, ...] = ()
    base_fees: tuple[tuple[str, int], ...] = ()
    channels: str = ""  # how to apply, joined for reading: 窓口、郵送
    interview_methods: str = ""  # 面接・電話
    offices: tuple[s.Office, ...] = ()
    facilities: tuple[FacilityRow, ...] = ()

    @property
    def first_from(self) -> date:
        return self.program.versions[0].effective_from


def programme_page(program: Program, day: date, *, today: date) -> ProgrammePage:
    """The page of ``program`` as in force on ``day``; ``today`` marks the version in force now."""
    rules = program.version_on(day)
    in_force_today = program.version_on(today)
    versions = tuple(
        VersionLink(v.effective_from, v.effective_until, v is rules, v is in_force_today)
        for v in program.versions
    )
    if rules is None:
        return ProgrammePage(program, day, today, None, versions, program.versions[0], None)
    index = program.versions.index(rules)
    later = program.versions[index + 1] if index + 1 < len(program.versions) else None
    offices = {o.code: o for o in program.document.offices}
    process_offices = tuple(offices[code] for code in rules.process.offices)
    interview = rules.process.interview
    return ProgrammePage(
        program=program,
        day=day,
        today=today,
        rules=rules,
        versions=versions,
        later=later,
        mode=MODES[rules.process.mode],
        caps=tuple(_cap_row(rules, cap) for cap in rules.caps),
        funding=tuple(_funding_view(rules, layer) for layer in rules.money.funding),
        base_fees=tuple(
            (service_name(rules, code), amount) for code, amount in rules.money.base_fees.items()
        ),
        channels=_join([CHANNELS[c] for c in rules.process.channels], "、"),
        interview_methods=_join([INTERVIEW_METHODS[m] for m in interview.methods], "・")
        if interview
        else "",
        offices=process_offices,
        facilities=tuple(
            _facility_row(rules, f, process_offices) for f in facilities_on(program, day)
        ),
    )


def _join(words: list, separator: str) -> str:
    """Words joined the Japanese way, or with commas in English."""
    return (", " if english() else separator).join(str(w) for w in words)


def _cap_row(rules: RuleSet, cap: s.Cap) -> CapRow:
    return CapRow(
        cap=cap,
        members=_members(rules, cap.services),
        weights=tuple((service_name(rules, code), weight) for code, weight in cap.weights.items()),
    )


def _members(rules: RuleSet, codes: list[str]) -> str:
    """Service names joined with ・; sub-types grouped under their service."""
    groups: dict[str, list[str]] = {}
    for code in codes:
        parent = rules.parent_code(code)
        names = groups.setdefault(parent, [])
        if code != parent:
            names.append(rules.subtypes[code][1].name)
    return "・".join(
        f"{service_name(rules, parent)}（{'・'.join(subs)}）"
        if subs
        else service_name(rules, parent)
        for parent, subs in groups.items()
    )


def _facility_row(
    rules: RuleSet, facility: s.Facility, offices: tuple[s.Office, ...]
) -> FacilityRow:
    services = tuple(
        _facility_service(rules, code, contract)
        for code, contract in facility.services.items()
        if rules.knows(code)  # else a service this version does not have
    )
    contact = offices[0] if facility.contact_municipality_first and offices else None
    return FacilityRow(
        facility=facility,
        kind=str(KINDS[facility.kind]),
        services=services,
        contact_office=contact,
        phone_href=tel(facility.phone) if facility.phone else "",
        contact_text=sentence(
            gettext("利用を希望するときは、まず%(office)sへ連絡してください。"), office=contact.name
        )
        if contact
        else "",
        contact_href=tel(contact.phone) if contact else "",
    )


def _facility_service(
    rules: RuleSet, code: str, contract: s.ContractService | None
) -> FacilityService:
    parent = rules.services[rules.parent_code(code)]
    own = contract.window if contract else None
    window = own or parent.window or rules.eligibility.postpartum_window
    fee = contract.fee if contract else None
    extra = contract.additional_infant_fee if contract else None
    return FacilityService(
        name=service_name(rules, code),
        window=window,
        own_window=own is not None,
        fee=fee,
        additional_infant_fee=extra,
        window_label=window_label(window),
        fee_text=sentence(gettext("料金 %(fee)s"), fee=yen(fee)) if fee is not None else "",
        additional_fee_text=sentence(gettext("2人目以降の赤ちゃん %(fee)s"), fee=yen(extra))
        if extra
        else "",
    )


# --- money ------------------------------------------------------------------------------------


def _funding_view(rules: RuleSet, layer: s.Funding) -> FundingView:
    tables = []
    if layer.amounts is not None:
        caption = gettext("負担する額") if layer.rule == "share" else gettext("自己負担額（定額）")
        tables.append(_table(caption, layer.amounts, rules, layer, money=True))
    if layer.percent is not None:
        tables.append(_table(gettext("自己負担の割合"), layer.percent, rules, layer, money=False))
    if layer.copay_floor is not None:
        tables.append(_table(gettext("自己負担の下限"), layer.copay_floor, rules, layer, True))
    if layer.copay_ceiling is not None:
        tables.append(_table(gettext("自己負担の上限"), layer.copay_ceiling, rules, layer, True))
    addition = None
    extra = layer.per_additional_infant
    copay = layer.rule == "copay"  # on a fixed copay, the addition is the mother's
    if extra == "fee":
        addition = (
            gettext("多胎の場合: 2人目以降の赤ちゃんの料金は、全額が自己負担です。")
            if copay
            else gettext("多胎児加算: 2人目以降の赤ちゃんの料金を負担します。")
        )
    elif isinstance(extra, dict) and set(extra) == {"*"} and isinstance(extra["*"], int):
        values = {"per": _per_units(rules, layer), "amount": yen(extra["*"])}
        if copay:
            addition = (
                gettext(
                    "多胎の場合: 2人目以降の赤ちゃん1人につき、"
                    "自己負担額が%(per)s%(amount)s増えます。"
                )
                % values
            )
        else:
            addition = (
                gettext(
                    "多胎児加算: 2人目以降の赤ちゃん1人につき、"
                    "%(per)s%(amount)sを加えて負担します。"
                )
                % values
            )
    elif isinstance(extra, dict):
        caption = (
            gettext("自己負担の多胎加算（2人目以降の赤ちゃん1人につき）")
            if copay
            else gettext("多胎児加算（2人目以降の赤ちゃん1人につき）")
        )
        tables.append(_table(caption, extra, rules, layer, money=True))
    return FundingView(
        layer=layer,
        rule=_rule_sentence(layer),
        tables=tuple(tables),
        addition=addition,
        conditions=tuple(_conditions(rules, layer)),
    )


def _rule_sentence(layer: s.Funding) -> str:
    if layer.rule == "share":
        return gettext(
            "利用料金のうち表の額までを負担します（料金が表の額より低いときは料金まで）。残りが自己負担額です。"
        )
    if layer.rule == "copay":
        return gettext("自己負担額は表の額です。利用料金の残りを負担します。")
    return gettext(
        "利用料金に表の割合を掛けた額が自己負担額です（%(rounding)s）。残りを負担します。"
    ) % {"rounding": ROUNDING[layer.rounding]}


def _conditions(rules: RuleSet, layer: s.Funding) -> list[str]:
    found = []
    if layer.tiers is not None:
        names = "・".join(t.name for t in rules.money.tiers if t.code in layer.tiers)
        found.append(gettext("対象の世帯: %(names)s") % {"names": names})
    if layer.services is not None:
        names = "・".join(service_name(rules, code) for code in layer.services)
        found.append(gettext("対象のサービス: %(names)s") % {"names": names})
    if layer.nth_from > 1 or layer.nth_to is not None:
        last = layer.nth_to or "∞"
        found.append(
            gettext("各サービスの%(first)s回目から%(last)s回目までの利用")
            % {"first": layer.nth_from, "last": last}
        )
    if layer.valid_from or layer.valid_until:
        found.append(
            gettext("期間: %(first)s〜%(last)s")
            % {"first": jdate(layer.valid_from), "last": jdate(layer.valid_until)}
        )
    if layer.per == "use" and layer.rule != "copay_percent":
        found.append(gettext("額は1回の利用あたりです"))
    return found


def _per_units(rules: RuleSet, layer: s.Funding, codes: list[str] | None = None) -> str:
    """``1泊あたり`` or ``1泊・1日・1回あたり`` for the services a table covers."""
    if layer.per == "use":
        return gettext("1回の利用あたり")
    units: list[str] = []
    for service in rules.services.values():
        if codes is not None and service.code not in codes:
            continue
        if layer.services is not None and not _covers(layer.services, service):
            continue
        if unit_name(service.unit) not in units:
            units.append(unit_name(service.unit))
    if english():
        return "per " + "/".join(u.removesuffix("s") for u in units)
    return "・".join(f"1{u}" for u in units) + "あたり"


def _covers(codes: list[str], service: s.Service) -> bool:
    return service.code in codes or any(sub.code in codes for sub in service.subtypes)


def _table(caption: str, table: dict, rules: RuleSet, layer: s.Funding, money: bool) -> MoneyTable:
    columns = _columns(rules, layer, table)
    headers = []
    for label, code, parent in columns:
        per = "" if not money else _per_units(rules, layer, None if code == "*" else [parent])
        headers.append((label, per))
    rows = []
    for tier in rules.money.tiers:
        if layer.tiers is not None and tier.code not in layer.tiers:
            continue
        cells = tuple(
            (f"{label} {per}".strip(), _cell(table, tier.code, code, parent, money))
            for (label, per), (_, code, parent) in zip(headers, columns, strict=True)
        )
        rows.append((tier.name, cells))
    return MoneyTable(caption, tuple(headers), tuple(rows))


def _columns(rules: RuleSet, layer: s.Funding, table: dict) -> list[tuple[str, str, str]]:
    """(label, code, parent code) per column: one per service, or per sub-type where the table
    tells sub-types apart, or a single column when no row depends on the service."""
    keyed = [row for row in table.values() if isinstance(row, dict)]
    if not keyed:
        if layer.services is not None:
            label = "・".join(service_name(rules, code) for code in layer.services)
        else:
            label = gettext("すべてのサービス")
        return [(label, "*", "*")]
    keys = set().union(*keyed)
    columns = []
    for service in rules.services.values():
        if layer.services is not None and not _covers(layer.services, service):
            continue
        subtypes = [sub for sub in service.subtypes if sub.code in keys]
        if subtypes:
            columns += [(service_name(rules, sub.code), sub.code, service.code) for sub in subtypes]
        else:
            columns.append((service.name, service.code, service.code))
    return columns


def _cell(table: dict, tier: str, code: str, parent: str, money: bool) -> str:
    row = table.get(tier, table.get("*"))
    if isinstance(row, dict):
        row = row.get(code, row.get(parent, row.get("*")))
    if row is None:
        return "—"
    if isinstance(row, list):
        return "、".join(_step(step, money) for step in row)
    return yen(row) if money else f"{row}%"


def _step(step: s.Step, money: bool) -> str:
    amount = yen(step.amount) if money else f"{step.amount}%"
    if step.last is None:
        text = gettext("%(first)s回目以降") % {"first": step.first}
    elif step.last == step.first:
        text = gettext("%(first)s回目") % {"first": step.first}
    else:
        text = gettext("%(first)s〜%(last)s回目") % {"first": step.first, "last": step.last}
    return f"{text}: {amount}"
