"""The money table of a letter: for one tier and the services granted, what each funding layer
pays and how the mother's copay is worked out.

Read from the programme version's ``money.funding`` layers (rules as data); cells are looked up
the way ``sango.rules.money.lookup`` reads them (tier, then ``*``; sub-type, then its service,
then ``*``). The letter states the rule, not a sum: fees differ by facility, so the copay is
what is left of the facility's fee.
"""

from __future__ import annotations

from dataclasses import dataclass

from sango.programs.selectors import service_name
from sango.programs.templatetags.programmes import jdate, unit_name, yen
from sango.rules import schema as s
from sango.rules.program import RuleSet

ROUNDING = {"floor": "1円未満切り捨て", "ceil": "1円未満切り上げ", "half_up": "1円未満四捨五入"}


@dataclass(frozen=True)
class MoneyRow:
    """One service under one layer; amounts are formatted (``17,000円``) or sentences."""

    service: str
    per: str  # 1泊あたり, 1回の利用あたり
    subsidy: str  # what the layer pays
    copay: str  # what the mother pays the facility

    @property
    def is_amount(self) -> bool:
        """Whether the layer's column holds a sum (aligned right) rather than a sentence."""
        return self.subsidy.endswith("円")


@dataclass(frozen=True)
class MoneyLayer:
    name: str  # 総社市の負担額
    payer: str  # the words the sentences use: 市の負担額, 国の減免（非課税世帯）
    rows: tuple[MoneyRow, ...]
    notes: tuple[str, ...]  # the rule in one sentence, 多胎児加算, floors, ceilings, conditions


def letter_money(
    rules: RuleSet, *, tier: str, codes: list[str], municipality: str
) -> tuple[MoneyLayer, ...]:
    """The layers that pay for ``tier`` on any of the service or sub-type ``codes``."""
    layers = []
    for layer in rules.money.funding:
        if layer.tiers is not None and tier not in layer.tiers:
            continue
        payer = f"{municipality[-1]}の負担額" if layer.source == "municipality" else layer.name
        rows = tuple(
            row
            for code in codes
            if _covers(layer, rules, code)
            and (row := _row(rules, layer, tier, code, payer)) is not None
        )
        if rows:
            notes = _notes(rules, layer, tier, codes, payer)
            layers.append(MoneyLayer(layer.name, payer, _merged(rules, rows, codes), notes))
    return tuple(layers)


def _merged(rules: RuleSet, rows: tuple[MoneyRow, ...], codes: list[str]) -> tuple[MoneyRow, ...]:
    """Sub-types of one service with the same amounts as one row: 日帰り型（1日型・2時間型）."""
    by_name = {service_name(rules, code): code for code in codes}
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for row in rows:
        code = by_name[row.service]
        key = (rules.parent_code(code), row.per, row.subsidy, row.copay)
        groups.setdefault(key, []).append(code)
    merged = []
    for (parent, per, subsidy, copay), members in groups.items():
        name = service_name(rules, members[0])
        if len(members) > 1:
            names = "・".join(rules.subtypes[code][1].name for code in members)
            name = f"{rules.services[parent].name}（{names}）"
        merged.append(MoneyRow(name, per, subsidy, copay))
    return tuple(merged)


def _covers(layer: s.Funding, rules: RuleSet, code: str) -> bool:
    return layer.services is None or bool({code, rules.parent_code(code)} & set(layer.services))


def cell(table: dict | None, tier: str, code: str, parent: str) -> object:
    """The raw cell of a tier → service table: an amount, a list of steps, or None."""
    if not table:
        return None
    row = table.get(tier, table.get("*"))
    if isinstance(row, dict):
        row = row.get(code, row.get(parent, row.get("*")))
    return row


def _amount(value: object, *, percent: bool = False) -> str:
    def one(amount: int) -> str:
        return f"{amount}%" if percent else yen(amount)

    if isinstance(value, list):
        return "、".join(f"{_nth(step)} {one(step.amount)}" for step in value)
    return one(value)  # type: ignore[arg-type]


def _nth(step: s.Step) -> str:
    if step.last is None:
        return f"{step.first}回目以降"
    if step.last == step.first:
        return f"{step.first}回目"
    return f"{step.first}〜{step.last}回目"


def _per(rules: RuleSet, layer: s.Funding, code: str) -> str:
    if layer.per == "use":
        return "1回の利用あたり"
    return f"1{unit_name(rules.services[rules.parent_code(code)].unit)}あたり"


def _row(rules: RuleSet, layer: s.Funding, tier: str, code: str, payer: str) -> MoneyRow | None:
    parent = rules.parent_code(code)
    rest = "利用料金から自己負担額を差し引いた額"
    if layer.rule == "share":
        value = cell(layer.amounts, tier, code, parent)
        subsidy, copay = _amount(value), f"利用料金から{payer}を差し引いた額"
    elif layer.rule == "copay":
        value = cell(layer.amounts, tier, code, parent)
        subsidy, copay = rest, _amount(value)
    else:
        value = cell(layer.percent, tier, code, parent)
        copay = f"利用料金の{_amount(value, percent=True)}（{ROUNDING[layer.rounding]}）"
        subsidy = rest
    if value is None:
        return None  # this layer's table says nothing for the tier and service
    if value == 0 and layer.rule != "share":
        copay = "0円（自己負担はありません）"
    return MoneyRow(service_name(rules, code), _per(rules, layer, code), subsidy, copay)


def _notes(
    rules: RuleSet, layer: s.Funding, tier: str, codes: list[str], payer: str
) -> tuple[str, ...]:
    notes = []
    if layer.rule == "share":
        notes.append(
            f"利用料金から{payer}を差し引いた額を施設にお支払いください"
            f"（利用料金が{payer}より低いときは、お支払いはありません）。"
        )
    else:
        notes.append(f"表の自己負担額を施設にお支払いください。利用料金の残りは{payer}です。")
    addition = _addition(rules, layer, tier, codes, payer)
    if addition:
        notes.append(addition)
    for table, words in ((layer.copay_floor, "下限"), (layer.copay_ceiling, "上限")):
        limits = _by_service(rules, layer, table, tier, codes)
        if limits:
            notes.append(f"自己負担額の{words}: {limits}。")
    if layer.nth_from > 1 or layer.nth_to is not None:
        last = f"{layer.nth_to}回目" if layer.nth_to else ""
        notes.append(f"各サービスの{layer.nth_from}回目から{last}の利用が対象です。")
    if layer.valid_from or layer.valid_until:
        notes.append(
            f"{jdate(layer.valid_from)}から{jdate(layer.valid_until)}までの利用が対象です。"
        )
    return tuple(notes)


def _addition(
    rules: RuleSet, layer: s.Funding, tier: str, codes: list[str], payer: str
) -> str | None:
    """多胎児加算 in one sentence, when this layer has one."""
    extra = layer.per_additional_infant
    if extra is None:
        return None
    if extra == "fee":
        return f"多胎児加算: 2人目以降の赤ちゃんの利用料金は{payer}に含めて負担します。"
    amounts = _by_service(rules, layer, extra, tier, codes)
    if not amounts:
        return None
    return f"多胎児加算: 2人目以降の赤ちゃん1人につき、{amounts}を{payer}に加えます。"


def _by_service(
    rules: RuleSet, layer: s.Funding, table: dict | None, tier: str, codes: list[str]
) -> str:
    """``1泊・1日あたり5,500円`` when every service has the same amount, else one per service."""
    found = []
    for code in codes:
        value = cell(table, tier, code, rules.parent_code(code))
        if value is not None:
            per = _per(rules, layer, code).removesuffix("あたり")
            found.append((service_name(rules, code), per, _amount(value)))
    if not found:
        return ""
    if len({amount for _, _, amount in found}) == 1:
        return f"{'・'.join(dict.fromkeys(per for _, per, _ in found))}あたり{found[0][2]}"
    return "、".join(f"{name} {per}あたり{amount}" for name, per, amount in found)
