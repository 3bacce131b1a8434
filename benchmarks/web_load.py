"""The load side of ``bench_web.py``: gunicorn on loopback, and wrk driving one endpoint for a
bounded time through a generated Lua script.

The script counts every status and, for POST bodies, walks a list of bodies thread by thread
(thread t of n takes bodies t, t+n, t+2n ...), so that each request of a run — and of the next
run, which starts where this one stopped — records a different use. A fresh Idempotency-Key is
made per request where the endpoint needs one.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

THREADS = 2
MARK = "BENCH-RESULT "

_LUA = r"""
local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("tid", created)
  table.insert(threads, thread)
end

function init(args)
  offset = tonumber(args[1])
  nthreads = tonumber(args[2])
  run = args[3]
  sent = 0
  codes = {}
end

function request()
  local i = offset + (tid - 1) + nthreads * sent
  sent = sent + 1
  local h = {}
  for k, v in pairs(HEADERS) do h[k] = v end
  if KEYED then h["Idempotency-Key"] = run .. "-" .. tid .. "-" .. sent end
  local body = nil
  if #BODIES > 0 then body = BODIES[(i % #BODIES) + 1] end
  return wrk.format(METHOD, PATH, h, body)
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  local total, most = {}, 0
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("codes")) do total[code] = (total[code] or 0) + n end
    local s = t:get("sent")
    if s > most then most = s end
  end
  local parts = {}
  for code, n in pairs(total) do table.insert(parts, string.format('"%d": %d', code, n)) end
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "p50": %.0f, "p95": %.0f, "p99": %.0f, ' ..
    '"most_sent": %d, "socket_errors": %d, "codes": {%s}}\n',
    MARK, summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), most,
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
"""


@dataclass
class Endpoint:
    """One hot path: a request, the statuses it should answer, and for POSTs the bodies."""

    name: str
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    bodies: list[str] = field(default_factory=list)
    keyed: bool = False  # a fresh Idempotency-Key on every request
    expect: int = 200
    contains: str = ""  # text the response must hold (checked once, before the runs)
    used: int = 0  # bodies already taken (by earlier runs)


@dataclass
class Measured:
    rps: float
    p50: float  # ms
    p95: float
    p99: float
    requests: int
    unexpected: int  # responses with another status than the endpoint's, and socket errors
    non_2xx: int
    codes: dict[str, int]


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def script_write(endpoint: Endpoint, path: Path) -> Path:
    headers = ", ".join(
        f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in endpoint.headers.items()
    )
    bodies = ",\n".join(_lua_string(b) for b in endpoint.bodies)
    prelude = (
        f"MARK = {_lua_string(MARK)}\nMETHOD = {_lua_string(endpoint.method)}\n"
        f"PATH = {_lua_string(endpoint.path)}\nHEADERS = {{{headers}}}\n"
        f"BODIES = {{{bodies}}}\nKEYED = {'true' if endpoint.keyed else 'false'}\n"
    )
    path.write_text(prelude + _LUA, encoding="utf-8")
    return path


def wrk_run(
    endpoint: Endpoint, *, base: str, connections: int, seconds: float, script: Path, run: str
) -> Measured:
    """Drive ``endpoint`` for ``seconds`` with ``connections`` open connections."""
    command = [
        "wrk",
        f"-t{min(THREADS, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",  # wrk takes whole seconds
        "--timeout",
        "10s",
        "-s",
        str(script),
        base + endpoint.path,
        "--",
        str(endpoint.used),
        str(min(THREADS, connections)),
        run,
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith(MARK))
    result = json.loads(line[len(MARK) :])
    endpoint.used += min(THREADS, connections) * (result["most_sent"] + 1)
    seconds_run = result["duration_us"] / 1e6
    codes = result["codes"]
    unexpected = sum(n for code, n in codes.items() if int(code) != endpoint.expect)
    return Measured(
        rps=result["requests"] / seconds_run,
        p50=result["p50"] / 1000,
        p95=result["p95"] / 1000,
        p99=result["p99"] / 1000,
        requests=result["requests"],
        unexpected=unexpected + result["socket_errors"],
        non_2xx=sum(n for code, n in codes.items() if not 200 <= int(code) < 300),
        codes=codes,
    )


def port_free() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn on 127.0.0.1 with the benchmark settings; ``stop`` ends it (and only it)."""

    def __init__(self, *, environment: dict[str, str], workers: int, log: Path) -> None:
        self.port = port_free()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        # The workers serve the checkout this benchmark belongs to, whatever is installed.
        root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, **environment, "CONN_MAX_AGE": "60", "PYTHONPATH": root}
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "sango.config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
        ]
        # The workers log every 4xx (Django's request logger): to the log file, not the table.
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                command, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}:\n{self._tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s:\n{self._tail()}")

    def peak_rss_mb(self) -> list[float]:
        """Each worker's peak resident memory (VmHWM), in MB, read from /proc (Linux)."""
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        peaks = []
        for child in children:
            try:
                status = Path(f"/proc/{child}/status").read_text()
            except OSError:
                continue
            line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "")
            if line:
                peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def _tail(self) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-30:])
        except OSError:
            return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None  # a redirect (to a login page) is an answer to report, not to follow


_opener = urllib.request.build_opener(_NoRedirect)


def request_once(endpoint: Endpoint, base: str) -> tuple[int, str]:
    """One request as wrk sends it (the next body, a fresh key): its status and body."""
    headers = dict(endpoint.headers)
    if endpoint.keyed:
        headers["Idempotency-Key"] = f"bench-preflight-{time.monotonic_ns()}"
    data = None
    if endpoint.bodies:
        data = endpoint.bodies[endpoint.used % len(endpoint.bodies)].encode()
        endpoint.used += 1
    request = urllib.request.Request(
        base + endpoint.path, data=data, headers=headers, method=endpoint.method
    )
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
