"""The what-if replay (試算) against the rules core itself.

The replay judges a use on a representative day and checks the windows against the real birth
(see ``sango/rules/replay.py``). These tests hold it equal to ``evaluate`` judging each use on its
own day with the caps counted in date order, for many random uses of every programme, and check
the figures of a changed cap and subsidy by hand.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from sango.rules.errors import RequestError
from sango.rules.evaluate import evaluate
from sango.rules.loader import load_registry, program_from_data
from sango.rules.program import Program, default_program_dir, sample_program_dir
from sango.rules.replay import Approval, PastUse, Replayer
from sango.rules.replay_summary import replay
from sango.rules.request import UseRequest

TEST_PROGRAMMES = Path(__file__).parent / "programs"
REGISTRY = load_registry([default_program_dir(), sample_program_dir(), TEST_PROGRAMMES])
SOJA = REGISTRY.get("332089")


def _reference(program: Program, uses: list[PastUse]) -> list[tuple]:
    """Each use judged by ``evaluate`` on its own day, its caps counted as the uses went."""
    totals: dict[tuple, dict[str, int]] = {}
    judged = []
    for use in uses:
        rules = program.version_on(use.day)
        counted = totals.setdefault((use.mother, use.birth_date), {})
        fy = use.day.year if use.day.month >= 4 else use.day.year - 1
        used = tuple(
            sorted(
                (
                    cap.code,
                    counted.get((cap.code, fy) if cap.period == "fiscal_year" else cap.code, 0),
                )
                for cap in rules.caps
            )
        )
        approval = use.approval or Approval()
        granted = (
            ()
            if use.approval is None
            else tuple(
                sorted((cap.code, dict(approval.grants).get(cap.code, 0)) for cap in rules.caps)
            )
        )
        request = UseRequest(
            municipality=program.code,
            service=use.service,
            day=use.day,
            tier=use.tier,
            birth_date=use.birth_date,
            start=use.start,
            end=use.end,
            quantity=None if use.start else use.quantity,
            infants=use.infants,
            infants_born=use.infants_born,
            facility=use.facility,
            fee=use.fee,
            used=used,
            granted=granted,
            needs=approval.needs,
            exclusions=approval.exclusions,
            residence=approval.residence,
            due_date=use.due_date,
        )
        try:
            result = evaluate(program, request, explain=False)
        except RequestError:
            judged.append((False, ("request_unreadable",), 0, use.fee * use.quantity, {}))
            continue
        if result.eligible:
            for code, amount in result.counted.items():
                counted[code] = counted.get(code, 0) + amount
                counted[(code, fy)] = counted.get((code, fy), 0) + amount
        copay = result.copay if result.copay is not None else use.fee * use.quantity
        reasons = tuple(sorted(r.render() for r in result.reasons))
        judged.append((result.eligible, reasons, result.subsidy, copay, result.counted))
    return judged


def _random_uses(program: Program, seed: int, count: int) -> list[PastUse]:
    """Uses of a few mothers over two years, some late for a window, some at the caps."""
    rng = random.Random(seed)
    facilities = [None, *program.facilities]
    uses = []
    for n in range(count):
        mother = n % 12
        birth = date(2024, 4, 1) + timedelta(days=mother * 37)
        day = birth + timedelta(days=rng.randint(0, 420))
        rules = program.version_on(day)
        if rules is None:
            continue
        codes = [
            sub.code if (sub := rng.choice(svc.subtypes or [None])) else svc.code
            for svc in rules.services.values()
        ]
        code = rng.choice(codes)
        service = rules.services[rules.parent_code(code)]
        start = end = None
        quantity = rng.randint(1, 3) if service.unit in ("night", "day") else 1
        if service.subtypes or service.unit == "hour":
            start = datetime.combine(day, datetime.min.time()) + timedelta(hours=10)
            end = start + timedelta(hours=rng.choice([2, 3, 5]))
            quantity = (end - start).seconds // 3600 if service.unit == "hour" else 1
        elif service.unit == "night" and rng.random() < 0.3:
            start = datetime.combine(day, datetime.min.time()) + timedelta(hours=10)
            end = start + timedelta(days=quantity, hours=1)
        twins = mother % 5 == 0
        approval = None
        if mother % 3:
            grants = tuple(
                sorted((cap.code, rng.choice([cap.limit, cap.limit - 1])) for cap in rules.caps)
            )
            needs = None if mother % 4 else frozenset({"support_needed", "physical_recovery"})
            approval = Approval(grants, needs, frozenset(), "resident")
        uses.append(
            PastUse(
                mother=mother,
                day=day,
                service=code,
                quantity=quantity,
                tier=rng.choice(rules.tier_codes),
                fee=rng.choice([3000, 9000, 18000, 32000]),
                birth_date=birth,
                subsidy=0,
                copay=0,
                start=start,
                end=end,
                infants=2 if twins else 1,
                infants_born=2 if twins else 1,
                facility=rng.choice(facilities),
                approval=approval,
                due_date=birth + timedelta(days=20) if mother % 7 == 1 else None,
            )
        )
    return sorted(uses, key=lambda u: u.day)


@pytest.mark.parametrize("code", [p.code for p in REGISTRY])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replay_judges_each_use_as_evaluate_does_on_its_own_day(code: str, seed: int) -> None:
    program = REGISTRY.get(code)
    uses = _random_uses(program, seed, 400)
    replayer = Replayer(program, program)
    replayed = []
    for use in uses:
        outcome = replayer.judge(use)
        reasons = tuple(
            sorted(
                "request_unreadable" if r.code == "request_unreadable" else r.render()
                for r in outcome.reasons
            )
        )
        replayed.append(
            (outcome.eligible, reasons, outcome.subsidy, outcome.copay, outcome.counted)
        )
    expected = _reference(program, uses)
    assert replayed == expected
    assert any(not e[0] for e in expected) and any(e[0] for e in expected)


def _soja_use(mother: int, day: date, nights: int, tier: str = "taxable", **extra) -> PastUse:
    """A 総社市 stay as recorded under the current leaflet (fee 30,000円 a night)."""
    program = SOJA
    rules = program.version_on(day)
    result = evaluate(
        program,
        UseRequest(
            municipality="332089",
            service="stay",
            day=day,
            tier=tier,
            birth_date=date(2025, 6, 1),
            quantity=nights,
            fee=30000,
        ),
        explain=False,
    )
    assert rules is not None
    return PastUse(
        mother=mother,
        day=day,
        service="stay",
        quantity=nights,
        tier=tier,
        fee=30000,
        birth_date=date(2025, 6, 1),
        subsidy=result.subsidy,
        copay=result.copay,
        **extra,
    )


def _soja_draft(**changes) -> Program:
    """総社市's document with the current version's stay cap and taxable stay share changed."""
    data = yaml.safe_load(Path(SOJA.path).read_text(encoding="utf-8"))
    current = data["versions"][-1]
    for cap in current["caps"]:
        if cap["code"] == "stay":
            cap["limit"] = changes.get("limit", cap["limit"])
    amounts = current["money"]["funding"][0]["amounts"]
    amounts["taxable"]["stay"] = changes.get("taxable_stay", amounts["taxable"]["stay"])
    return program_from_data(data, "draft")


def test_unchanged_draft_gives_the_figures_paid() -> None:
    uses = [
        _soja_use(1, date(2025, 6, 10), 3),
        _soja_use(1, date(2025, 7, 1), 4, tier="tax_exempt"),
        _soja_use(2, date(2025, 6, 20), 2, tier="welfare"),
    ]
    summary = replay(_soja_draft(), SOJA, uses)
    assert summary.total.subsidy_change == 0 and summary.total.copay_change == 0
    assert summary.total.subsidy_paid == 3 * 17000 + 4 * 21500 + 2 * 26000
    assert summary.mothers == 2 and summary.mothers_refused == 0
    assert summary.mothers_pay_less == summary.mothers_pay_more == 0


def test_ten_nights_counts_the_mothers_at_the_cap_as_headroom() -> None:
    # Mother 1 used all 7 nights (3 + 4); mother 2 used 2 of them.
    uses = [
        _soja_use(1, date(2025, 6, 10), 3),
        _soja_use(1, date(2025, 7, 1), 4),
        _soja_use(2, date(2025, 6, 20), 2),
    ]
    summary = replay(_soja_draft(limit=10), SOJA, uses)
    assert summary.total.subsidy_change == 0
    [headroom] = summary.headroom
    assert (headroom.cap, headroom.mothers, headroom.units, headroom.unit) == ("stay", 1, 3, "泊")


def test_lower_cap_refuses_the_night_beyond_it_in_the_programmes_words() -> None:
    uses = [
        _soja_use(1, date(2025, 6, 10), 3),
        _soja_use(1, date(2025, 7, 1), 4),
        _soja_use(2, date(2025, 6, 20), 2),
    ]
    summary = replay(_soja_draft(limit=5), SOJA, uses)
    # The second stay of mother 1 (4 nights, 2 left) is refused: 4 × 17,000円 not paid.
    assert summary.total.refused == 1
    assert summary.total.subsidy_change == -4 * 17000
    assert summary.total.copay_change == 4 * 17000
    assert summary.mothers_refused == 1
    [reason] = summary.reasons
    assert (reason.kind, reason.words, reason.uses) == ("cap", "短期入所（ショートステイ）型", 1)


def test_lower_share_for_one_tier_changes_only_that_tier() -> None:
    uses = [
        _soja_use(1, date(2025, 6, 10), 3),
        _soja_use(2, date(2025, 6, 20), 2, tier="welfare"),
    ]
    summary = replay(_soja_draft(taxable_stay=15000), SOJA, uses)
    tiers = {row.code: row for row in summary.by_tier}
    assert tiers["taxable"].name == "上記以外の方"
    assert tiers["taxable"].sums.subsidy_change == -3 * 2000
    assert tiers["taxable"].sums.copay_change == 3 * 2000
    assert tiers["welfare"].sums.subsidy_change == 0
    assert summary.mothers_pay_more == 1 and summary.mothers_pay_less == 0
    [service] = summary.by_service
    assert (service.name, service.unit, service.sums.units) == (
        "短期入所（ショートステイ）型",
        "泊",
        5,
    )


def test_earlier_uses_count_towards_the_caps_but_not_in_the_figures() -> None:
    before = _soja_use(1, date(2025, 6, 10), 6)._replace(reported=False)
    inside = _soja_use(1, date(2025, 8, 1), 1)
    summary = replay(_soja_draft(limit=6), SOJA, [before, inside])
    assert summary.total.uses == 1 and summary.total.refused == 1
    assert summary.replayed == 2


def test_a_use_past_the_window_is_refused_with_the_window_named() -> None:
    late = _soja_use(1, date(2026, 6, 2), 1)  # born 2025-06-01: 1年以内 ends 2026-06-01
    summary = replay(_soja_draft(), SOJA, [late])
    [reason] = summary.reasons
    assert (reason.kind, reason.words) == ("window", "産後1年以内")
