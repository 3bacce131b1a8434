"""A believable year of uses across both seed municipalities, for the benchmarks.

Uses are drawn from a pool of distinct requests (mothers × services × facilities × days × tiers
× what they used before); real batches repeat those combinations, so the pool is much smaller
than the batch. ``POOL`` sets how many distinct requests there are.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

POOL = 20_000

SOJA_FACILITIES = {
    "stay": ["かねこ助産院", "さくらんぼ助産院", "くにさだ助産院", "川崎医科大学附属病院"],
    "day": ["花田助産院", "かねこ助産院", "さわだレディースクリニック", "産日助産院"],
    "visit": ["おがわ助産院", "産前産後サロン 助産院あいのわ", "うちかど助産院"],
}
KUMAMOTO_FACILITY = "sample-kumamoto-higashi-josanin"
TIERS = ["taxable"] * 6 + ["tax_exempt"] * 3 + ["welfare"]


def _soja(rng: random.Random, day: date, birth: date) -> dict:
    service = rng.choice(["stay", "stay", "day", "day", "visit"])
    quantity = rng.choice([1, 1, 2, 3]) if service == "stay" else 1
    return {
        "municipality": "332089",
        "service": service,
        "date": day.isoformat(),
        "quantity": quantity,
        "tier": rng.choice(TIERS),
        "infants": rng.choice([1] * 30 + [2]),
        "birth_date": birth.isoformat(),
        "facility": rng.choice(SOJA_FACILITIES[service]),
        "fee": rng.choice([25000, 30000, 33000])
        if service == "stay"
        else rng.choice([8000, 12000]),
        "used": {service: rng.randint(0, 7)},
    }


def _kumamoto(rng: random.Random, day: date, birth: date) -> dict:
    start_hour = rng.choice([9, 10, 13])
    hours = rng.choice([2, 3, 5])
    return {
        "municipality": "431001",
        "service": "day",
        "start": f"{day.isoformat()}T{start_hour:02d}:00",
        "end": f"{day.isoformat()}T{start_hour + hours:02d}:00",
        "tier": rng.choice(TIERS),
        "birth_date": birth.isoformat(),
        "facility": KUMAMOTO_FACILITY,
        "used": {"day": rng.randint(0, 6)},
    }


def request_pool(size: int = POOL, seed: int = 2026) -> list[dict]:
    """``size`` distinct-ish requests for uses in fiscal year 2026 (April 2026 – March 2027)."""
    rng = random.Random(seed)
    pool = []
    for _ in range(size):
        day = date(2026, 4, 1) + timedelta(days=rng.randrange(365))
        birth = day - timedelta(days=rng.randrange(10, 380))
        make = _soja if rng.random() < 0.6 else _kumamoto
        pool.append(make(rng, day, birth))
    return pool


def draw(pool: list, count: int, seed: int = 7) -> list:
    """``count`` uses drawn from ``pool``; a few combinations are much more common (Zipf-like)."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(pool))]
    return rng.choices(pool, weights=weights, k=count)
