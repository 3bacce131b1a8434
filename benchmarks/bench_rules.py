"""Rules core throughput in memory: uses/second for 1,000,000 uses, without explanations.

Prints three figures: the memoised batch (the target: ≥ 500,000 uses/s on a 2-core machine),
the cold evaluation of every distinct request once, and ``evaluate`` with explanations.
"""

from __future__ import annotations

import time

from benchmarks.workload import draw, request_pool
from sango.rules.batch import Quoter
from sango.rules.evaluate import evaluate
from sango.rules.loader import load_registry
from sango.rules.program import default_program_dir
from sango.rules.request import request_from_dict

USES = 1_000_000


def main() -> None:
    registry = load_registry([default_program_dir()])
    pool = [request_from_dict(data) for data in request_pool()]
    uses = draw(pool, USES)
    distinct = len(set(uses))

    quoter = Quoter(registry)
    began = time.perf_counter()
    results = quoter.results(uses)
    batch = time.perf_counter() - began
    eligible = sum(1 for r in results if getattr(r, "eligible", False))
    print(
        f"rules batch: {USES:,} uses ({distinct:,} distinct) in {batch:.3f} s"
        f" = {USES / batch:,.0f} uses/s, memoised, no explanations ({eligible:,} eligible)"
    )

    began = time.perf_counter()
    for request in pool:
        evaluate(registry.get(request.municipality), request, explain=False)
    cold = time.perf_counter() - began
    print(
        f"rules cold: {len(pool):,} distinct uses in {cold:.3f} s"
        f" = {len(pool) / cold:,.0f} uses/s, no memo, no explanations"
    )

    began = time.perf_counter()
    for request in pool:
        evaluate(registry.get(request.municipality), request, explain=True)
    explained = time.perf_counter() - began
    print(f"rules explained: {len(pool) / explained:,.0f} uses/s, no memo, with explanations")


if __name__ == "__main__":
    main()
