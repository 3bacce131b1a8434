"""The load benchmark of the web hot paths (issue 11): gunicorn with the production settings on
PostgreSQL, each endpoint driven by wrk and alternated with a bare view in the same round.

Run with ``make bench-web`` (or ``python benchmarks/bench_web.py [--quick]``). It needs wrk
(Debian's; the make target installs it) and PostgreSQL: ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/sango_web_bench``), a database it drops and creates.

What it does: provisions 総社市 vouchers approved through the services, API tokens and portal
sessions, and uses for a clerk's list (recorded through the services, then bulk-copied to
~10,000 for the size check); starts gunicorn on a free loopback port (3 sync workers,
``CONN_MAX_AGE=60``, ``sango.config.settings.bench``); then for every endpoint and 10 and 50
connections runs rounds of wrk on bare view A (``SELECT 1`` as JSON), on the endpoint and on
bare view A again, for a bounded time each. A round's ``ratio`` is the endpoint's rps over bare
view A's around it, which keeps the figure meaningful on a machine shared with other work; the
row shown is the round with the median ratio (three rounds by default: one window of a few
seconds can fall on a burst of other work), with every round's ratio beside it. Prints the
table and the issue's targets; gunicorn is stopped however the run ends.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import web_data, web_load
from benchmarks.web_endpoints import BARE, endpoints_for, uses_list

URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sango_web_bench")
WORKERS = 3
LIST_SIZE = 10_000


@dataclass
class Row:
    endpoint: str
    connections: int
    measured: web_load.Measured
    bare_rps: float  # bare view A just before and just after, together
    rounds: tuple[float, ...] = ()  # every round's ratio, this row's the median

    @property
    def ratio(self) -> float:
        return self.measured.rps / self.bare_rps if self.bare_rps else 0.0


class Runner:
    """Runs wrk rounds against one gunicorn and keeps the rows."""

    def __init__(
        self, base: str, directory: Path, seconds: float, connections: list[int], rounds: int
    ):
        self.base, self.directory, self.seconds = base, directory, seconds
        self.connections, self.rounds = connections, rounds
        self.rows: list[Row] = []
        self.failed: list[str] = []
        self.notes: list[str] = []
        self.scripts: dict[str, Path] = {}
        self.runs = 0

    def check(self, endpoint: web_load.Endpoint) -> bool:
        """One request first: a wrong status or page is a broken endpoint, not a figure; it
        is reported and the run goes on with the others."""
        status, body = web_load.request_once(endpoint, self.base)
        if status == endpoint.expect and endpoint.contains in body:
            return True
        wanted = f" with {endpoint.contains!r}" if endpoint.contains else ""
        self.failed.append(f"{endpoint.name}: expected {endpoint.expect}{wanted}, got {status}")
        print(f"{self.failed[-1]}:\n{body[:600]}", file=sys.stderr)
        return False

    def drive(self, endpoint: web_load.Endpoint, connections: int, seconds: float):
        if endpoint.name not in self.scripts:
            path = self.directory / f"endpoint-{len(self.scripts)}.lua"
            self.scripts[endpoint.name] = web_load.script_write(endpoint, path)
        self.runs += 1
        return web_load.wrk_run(
            endpoint,
            base=self.base,
            connections=connections,
            seconds=seconds,
            script=self.scripts[endpoint.name],
            run=f"r{self.runs}-{time.time_ns() % 10**9}",
        )

    def measure(self, endpoint: web_load.Endpoint) -> None:
        """Warm every worker on the endpoint, then at each connection count, round after
        round: bare view A for half the time, the endpoint, bare view A for half the time
        again — so that a change in the machine's load during the round weighs on both sides
        of the ratio. The round with the median ratio is the row."""
        if not self.check(endpoint):
            return
        self.drive(endpoint, 6, 1)
        for connections in self.connections:
            rounds = []
            for _ in range(self.rounds):
                before = self.drive(BARE, connections, self.seconds / 2)
                measured = self.drive(endpoint, connections, self.seconds)
                after = self.drive(BARE, connections, self.seconds / 2)
                bare_rps = (before.rps + after.rps) / 2  # equal durations: the mean is the rate
                rounds.append(Row(endpoint.name, connections, measured, bare_rps))
            ratios = tuple(r.ratio for r in rounds)
            row = sorted(rounds, key=lambda r: r.ratio)[len(rounds) // 2]
            row.rounds = ratios
            self.rows.append(row)
            print(_line(row), file=sys.stderr, flush=True)
        if endpoint.keyed and len(endpoint.bodies) > 1 and endpoint.used > len(endpoint.bodies):
            self.notes.append(
                f"{endpoint.name}: {endpoint.used:,} requests for {len(endpoint.bodies):,} "
                "possible uses — later ones hit a cap (422); give more --vouchers"
            )


def _line(row: Row) -> str:
    m = row.measured
    rounds = ", ".join(f"{ratio:.2f}" for ratio in row.rounds)
    return (
        f"| {row.endpoint} | {row.connections} | {m.rps:.0f} | {m.p50:.0f} / {m.p95:.0f} / "
        f"{m.p99:.0f} | {row.bare_rps:.0f} | {row.ratio:.2f} | {rounds} | {m.non_2xx} | "
        f"{m.unexpected} |"
    )


def table(rows: list[Row]) -> str:
    head = (
        "| endpoint | c | rps | p50 / p95 / p99 ms | bare A rps | ratio | rounds' ratios "
        "| non-2xx | unexpected |\n|---|---|---|---|---|---|---|---|---|"
    )
    return "\n".join([head, *(_line(r) for r in rows)])


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def targets(rows: list[Row]) -> list[str]:
    """The issue's targets, one line each, ✓ when met at every connection count measured."""
    lines = []

    def ratio_target(label: str, prefix: str, least: float) -> None:
        found = [r for r in rows if r.endpoint.startswith(prefix)]
        if not found:  # a target never passes unseen: a renamed endpoint shows here
            lines.append(f"– {label}: not measured in this run (no row {prefix.strip()!r})")
        else:
            sized = len({r.endpoint for r in found}) > 1  # the list at two sizes
            got = ", ".join(
                f"{r.endpoint.rsplit(', ', 1)[-1].rstrip(')') + ' ' if sized else ''}"
                f"c={r.connections} {r.ratio:.2f}"
                for r in found
            )
            ok = all(r.ratio >= least for r in found)
            lines.append(f"{_mark(ok)} {label}: ratio ≥ {least:.2f} ({got})")

    ratio_target("recording a use (201)", "POST /api/uses/ (201)", 0.15)
    for r in rows:
        if r.endpoint.startswith("POST /api/uses/ (201)") and r.connections == 10:
            lines.append(
                f"{_mark(r.measured.p99 < 150)} recording a use (201): p99 < 150 ms at c=10 "
                f"({r.measured.p99:.0f} ms)"
            )
    ratio_target("checking a voucher", "POST /api/vouchers/verify/", 0.25)
    ratio_target("list endpoints", "GET /api/uses/", 0.20)
    lists = [r for r in rows if r.endpoint.startswith("GET /api/uses/")]
    shares = [
        (big.connections, big.ratio / small.ratio)
        for small in lists
        for big in lists
        if big.connections == small.connections
        and big.endpoint != small.endpoint
        and lists.index(big) > lists.index(small)
        and small.ratio
    ]
    if shares:
        got = ", ".join(f"c={c} {share:.2f}" for c, share in shares)
        lines.append(
            f"{_mark(all(share >= 0.8 for _, share in shares))} list flat in data size: "
            f"ratio with ~10,000 uses ≥ 0.8 × the ratio with ~300 ({got})"
        )
    ratio_target("programme page", "GET /programmes/332089/ ", 0.40)
    ratio_target("finder (programme list)", "GET /programmes/ ", 0.40)
    ratio_target("fee simulator", "POST /programmes/332089/quote/", 0.20)
    return lines


def _stop_on_sigterm(signum: int, frame) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # so that ``finally`` stops gunicorn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer, shorter runs")
    parser.add_argument("--seconds", type=float, help="seconds per wrk run (default 3)")
    parser.add_argument(
        "--rounds", type=int, help="rounds per endpoint and connection count (default 3; quick 1)"
    )
    parser.add_argument(
        "--vouchers", type=int, help="fresh vouchers, 21 uses each (default 700; quick 30)"
    )
    arguments = parser.parse_args()
    quick = arguments.quick
    seconds = arguments.seconds or 3
    rounds = arguments.rounds or (1 if quick else 3)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (make bench-web does it)")
    signal.signal(signal.SIGTERM, _stop_on_sigterm)

    began, started = time.monotonic(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    directory = Path(tempfile.mkdtemp(prefix="sango-bench-web-"))
    web_data.database_fresh(URL)
    environment = web_data.django_setup(URL, directory / "var")
    vouchers = arguments.vouchers or (30 if quick else 700)
    fixture = web_data.provision(vouchers=vouchers, list_uses=100 if quick else 300)
    web_data.analyze()
    print(f"provisioned in {time.monotonic() - began:.0f} s", file=sys.stderr)
    server = web_load.Gunicorn(
        environment=environment, workers=WORKERS, log=directory / "gunicorn.log"
    )
    try:
        server.wait_healthy()
        runner = Runner(server.base, directory, seconds, [10] if quick else [10, 50], rounds)
        for endpoint in endpoints_for(fixture, quick=quick):
            runner.measure(endpoint)
        if not quick:
            runner.measure(uses_list(fixture, web_data.uses_fill(LIST_SIZE)))
        peaks = server.peak_rss_mb()
    except BaseException:
        print(f"gunicorn's log is kept in {server.log}", file=sys.stderr)
        raise
    finally:
        server.stop()
    print(
        f"\nSango web benchmark, started {started}, took {time.monotonic() - began:.0f} s. "
        f"gunicorn {WORKERS} sync workers, CONN_MAX_AGE=60, PostgreSQL; wrk {web_load.THREADS} "
        f"threads, {seconds:g} s per endpoint run, {rounds} round(s) per row. ratio = rps ÷ bare "
        "view A (SELECT 1 as JSON) measured just before and after, in the round with the median "
        "ratio (shown); unexpected = responses of another status than the endpoint's, plus "
        "socket errors.\n"
    )
    print(table(runner.rows))
    print()
    print("\n".join(targets(runner.rows)))
    if peaks:
        print(f"peak RSS per worker: {', '.join(f'{p:.0f}' for p in peaks)} MB")
    if runner.notes:
        print("\n" + "\n".join(runner.notes))
    if runner.failed:
        print("\nnot measured (see gunicorn's log, kept):\n" + "\n".join(runner.failed))
        print(f"log: {server.log}")
        raise SystemExit(1)
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
