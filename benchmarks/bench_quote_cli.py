"""``sango quote --batch`` over a 1,000,000-line JSONL file, timed as a user would: the whole
command, from process start (Django set-up, documents loaded) to the last line written.

Target: under 5 s on a 2-core machine (an equivalent OpenFisca model of 総社市's table takes
about 10 s for the same file). The files go to ``var/bench/``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import orjson

from benchmarks.workload import draw, request_pool

LINES = 1_000_000


def main() -> None:
    folder = Path("var/bench")
    folder.mkdir(parents=True, exist_ok=True)
    source, target = folder / "uses.jsonl", folder / "results.jsonl"
    pool = [orjson.dumps(data) for data in request_pool()]
    source.write_bytes(b"\n".join(draw(pool, LINES)) + b"\n")
    sango = Path(sys.executable).with_name("sango")
    began = time.perf_counter()
    subprocess.run(
        [sango, "quote", "--batch", source, "--output", target], check=True, capture_output=True
    )
    elapsed = time.perf_counter() - began
    with target.open("rb") as results:
        written = sum(1 for _ in results)
    assert written == LINES, f"{written} result lines for {LINES} requests"
    size = source.stat().st_size / 1e6
    print(
        f"quote --batch: {LINES:,} lines ({size:.0f} MB JSONL) in {elapsed:.2f} s"
        f" = {LINES / elapsed:,.0f} lines/s, whole command incl. start-up (target < 5 s)"
    )


if __name__ == "__main__":
    main()
