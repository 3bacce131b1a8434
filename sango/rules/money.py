"""Who pays what for one use: funding layers applied in order on what the mother still owes.

All amounts are integer yen. Each layer looks at the charge still unpaid after the layers before
it and pays part of it according to its rule; the rest is the mother's copay. A layer never pays
more than is still owed, so a fee below the municipality's share makes the share the fee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sango.rules import schema as s


@dataclass(frozen=True, slots=True)
class Charge:
    """What is being paid for: ``quantity`` units of ``code`` at ``fee`` yen a unit."""

    code: str  # resolved service or sub-type code
    parent: str  # the service a sub-type belongs to (equal to code for a service)
    tier: str
    fee: int  # yen per unit
    quantity: int
    infants: int
    infant_fee: int | None  # yen per additional infant per unit, when the facility says
    nth: int  # which use of this service this is
    nth_any: int  # which use of any service this is
    day: date

    def nth_for(self, layer: s.Funding) -> int:
        return self.nth_any if layer.nth_scope == "programme" else self.nth


@dataclass(frozen=True, slots=True)
class Payment:
    source: str
    name: str
    amount: int
    ref: str | None


def lookup(table: dict | None, charge: Charge, nth: int | None = None) -> int | None:
    """The amount a tier → service table gives this charge; None where the table is silent.

    Rows are looked up by tier then ``*``; cells by sub-type, then its service, then ``*``.
    A list of steps picks the amount for the ``nth`` use.
    """
    if not table:
        return None
    row = table.get(charge.tier, table.get("*"))
    if isinstance(row, dict):
        row = row.get(charge.code, row.get(charge.parent, row.get("*")))
    if isinstance(row, list):
        for step in row:
            nth = charge.nth if nth is None else nth
            if step.first <= nth and (step.last is None or nth <= step.last):
                return step.amount
        return None
    return row


def applies(layer: s.Funding, charge: Charge) -> bool:
    """Whether a layer covers this tier, service, use number and day."""
    if layer.tiers is not None and charge.tier not in layer.tiers:
        return False
    if layer.services is not None and not {charge.code, charge.parent} & set(layer.services):
        return False
    nth = charge.nth_for(layer)
    if nth < layer.nth_from or (layer.nth_to is not None and nth > layer.nth_to):
        return False
    if layer.valid_from is not None and charge.day < layer.valid_from:
        return False
    return layer.valid_until is None or charge.day <= layer.valid_until


def fund(money: s.Money, charge: Charge) -> tuple[list[Payment], int]:
    """Apply every layer. Returns the payments (one per source that paid) and the copay in yen."""
    owed = charge.fee * charge.quantity
    payments: list[Payment] = []
    for layer in money.funding:
        if not applies(layer, charge):
            continue
        pay = max(0, min(_layer_pay(layer, charge, owed), owed))
        owed -= pay
        payments.append(Payment(layer.source, layer.name, pay, layer.ref))
    return payments, owed


def _per(layer: s.Funding, amount: int, charge: Charge) -> int:
    return amount * charge.quantity if layer.per == "unit" else amount


def _layer_pay(layer: s.Funding, charge: Charge, owed: int) -> int:
    addition = _multiple_birth_addition(layer, charge)
    if layer.rule == "share":
        pay = (
            _per(layer, lookup(layer.amounts, charge, charge.nth_for(layer)) or 0, charge)
            + addition
        )
    elif layer.rule == "copay":
        # A fixed copay leaves the rest to this layer; ``per_additional_infant`` here raises the
        # mother's copay (per additional infant per unit), so this layer pays that much less.
        copay = lookup(layer.amounts, charge, charge.nth_for(layer))
        pay = 0 if copay is None else owed - _per(layer, copay, charge) - addition
    else:
        # The multiple-birth addition is paid in full; the percentage applies to the rest.
        percent = lookup(layer.percent, charge, charge.nth_for(layer))
        base = charge.fee * charge.quantity - addition
        pay = 0 if percent is None else owed - _percent_of(max(base, 0), percent, layer)
    pay = min(max(pay, 0), owed)
    ceiling = lookup(layer.copay_ceiling, charge)
    if ceiling is not None and owed - pay > _per(layer, ceiling, charge):
        pay = owed - _per(layer, ceiling, charge)
    floor = lookup(layer.copay_floor, charge)
    if floor is not None and owed - pay < _per(layer, floor, charge):
        pay = owed - _per(layer, floor, charge)
    return pay


def _percent_of(total: int, percent: int, layer: s.Funding) -> int:
    """The mother's percentage of the fee, rounded to whole yen the way the 要綱 says."""
    if layer.rounding == "ceil":
        return -(-total * percent // 100)
    if layer.rounding == "half_up":
        return (total * percent + 50) // 100
    return total * percent // 100


def _multiple_birth_addition(layer: s.Funding, charge: Charge) -> int:
    """多胎児加算: per additional infant per unit, or the additional infants' whole fee. On a
    ``share`` or ``copay_percent`` layer it is what the payer adds; on a ``copay`` layer it is
    what the mother's copay rises by."""
    extra = charge.infants - 1
    if extra <= 0 or layer.per_additional_infant is None:
        return 0
    if layer.per_additional_infant == "fee":
        return (charge.infant_fee or 0) * extra * charge.quantity
    return (lookup(layer.per_additional_infant, charge) or 0) * extra * charge.quantity
