"""Run every benchmark and print its figures: ``make bench``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bench_quote_cli, bench_rules

if __name__ == "__main__":
    bench_rules.main()
    bench_quote_cli.main()
