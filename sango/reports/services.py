"""Writing the one thing the reports keep of their own: the budget of a fiscal year."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sango.accounts.roles import require_acts_for
from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.reports.models import Budget

# A municipal 産後ケア budget is far below this; a larger figure is a typing slip (an extra 0s).
BUDGET_LIMIT = 100_000_000_000


@transaction.atomic
def budget_set(*, actor: Any, municipality_id: int, fiscal_year: int, amount: int) -> Budget:
    """Enter (or replace, for a 補正予算) the budget of ``fiscal_year`` in yen. Any member of the
    municipality's staff may: it is a figure copied from the 予算書, not a decision; every
    change is audited with the amount before and after."""
    require_acts_for(actor, "この市町村の予算は入力できません。", municipality_id=municipality_id)
    if not 0 <= amount < BUDGET_LIMIT:
        raise ServiceError("予算額は0円から1,000億円未満で入力してください。", field="amount")
    if not 2000 <= fiscal_year <= 2100:
        raise ServiceError("年度が正しくありません。", field="fiscal_year")
    budget = (
        Budget.objects.select_for_update()
        .filter(municipality_id=municipality_id, fiscal_year=fiscal_year)
        .first()
    )
    before = {"amount": budget.amount} if budget else None
    if budget is None:
        budget = Budget(municipality_id=municipality_id, fiscal_year=fiscal_year)
    budget.amount, budget.entered_by = amount, actor
    budget.save()
    audit_record(
        actor=actor,
        action="budget.set",
        target=budget,
        before=before,
        after={"fiscal_year": fiscal_year, "amount": amount},
    )
    return budget
