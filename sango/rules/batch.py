"""Many uses at once: retroactive recalculation, billing, reports and ``sango quote --batch``.

Real batches repeat themselves (a month of uses shares a few tiers, fees, facilities and
dates), so results are memoised: by the request for in-memory batches, and by the raw input line
for JSONL. ``evaluate`` is pure, so a memoised result is the result.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

import orjson

from sango.rules.errors import RequestError
from sango.rules.evaluate import Result, evaluate
from sango.rules.loader import Registry
from sango.rules.program import Program
from sango.rules.request import UseRequest, request_from_dict

# Memo sizes: enough for every distinct use of a large city's year, small enough for a laptop.
_MAX_MEMO = 200_000
_BLOCK = 1 << 20  # JSONL is read 1 MiB at a time (measured fastest)
INVALID_JSON = {"field": "-", "code": "invalid_json", "message": "JSONとして読めません"}


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector for a batch.

    A batch holds millions of small objects (lines, results) that form no cycles; the collector
    would scan them again and again, doubling the time of a large batch. Reference counting still
    frees everything, and the collector resumes when the batch ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# The same pause for other batch loops over millions of uses (the what-if replay, its loading).
without_cycle_collection = _without_cycle_collection


class Quoter:
    """Judges uses against a registry of programmes. One instance per batch or process."""

    def __init__(self, registry: Registry, *, lang: str = "ja", explain: bool = False) -> None:
        self.registry = registry
        self.lang = lang
        self.explain = explain
        self._results: dict[UseRequest, Result | RequestError] = {}
        self._lines: dict[bytes, bytes] = {}
        self._refused: set[bytes] = set()

    def program(self, key: str) -> Program:
        """A programme by municipality code or name."""
        program = self.registry.get(key)
        if program is None:
            program = next((p for p in self.registry if p.name == key), None)
        if program is None:
            known = ", ".join(f"{p.code} {p.name}" for p in self.registry)
            raise RequestError("municipality", f"読み込まれていない市町村です（{known}）")
        return program

    def result(self, request: UseRequest) -> Result:
        """The memoised judgement of one request. Raises ``RequestError`` as ``evaluate`` does."""
        found = self._results.get(request)
        if found is None:
            try:
                found = evaluate(self.program(request.municipality), request, explain=self.explain)
            except RequestError as exc:
                found = exc
            if len(self._results) >= _MAX_MEMO:
                self._results.clear()
            self._results[request] = found
        if isinstance(found, RequestError):
            raise found
        return found

    def results(self, requests: Iterable[UseRequest]) -> list[Result | RequestError]:
        """Judge many requests in order; an unreadable one gives its error in its place."""
        # The hot loop of billing and recalculation: locals only, one dict probe per use.
        found_in = self._results.get
        judged: list[Result | RequestError] = []
        append = judged.append
        with _without_cycle_collection():
            for request in requests:
                found = found_in(request)
                if found is None:
                    try:
                        found = self.result(request)
                    except RequestError as exc:
                        found = exc
                append(found)
        return judged

    def quote(self, data: object) -> dict:
        """One request object in, one result object out (the ``sango quote`` JSON)."""
        request = request_from_dict(data)
        program = self.program(request.municipality)
        return self.result(request).as_dict(self.lang, program)

    def quote_line(self, line: bytes) -> bytes:
        """One JSONL line in, one JSON line out (without newline); errors become error objects."""
        found = self._lines.get(line)
        if found is None:
            found = self._quote_new_line(line)
        return found

    def _quote_new_line(self, line: bytes) -> bytes:
        text = line.strip()
        if not text:
            output = b""
        else:
            try:
                output = orjson.dumps(self.quote(orjson.loads(text)))
            except orjson.JSONDecodeError:
                output = orjson.dumps({"error": INVALID_JSON})
            except RequestError as exc:
                output = orjson.dumps({"error": exc.as_dict()})
            if output.startswith(b'{"error"'):
                self._refused.add(output)
        if len(self._lines) >= _MAX_MEMO:
            self._lines.clear()
        self._lines[line] = output
        return output

    def run_jsonl(self, source: BinaryIO, target: BinaryIO) -> tuple[int, int]:
        """Quote every line of ``source`` to ``target``: line N of the output answers line N of
        the input (a blank line stays blank). Returns (lines read, lines refused).
        """
        lines_read = refused = 0
        rest = b""
        with _without_cycle_collection():
            while block := source.read(_BLOCK):
                lines = (rest + block).split(b"\n")
                rest = lines.pop()  # the last line may continue in the next block
                lines_read, refused = self._quote_block(lines, target, lines_read, refused)
            if rest.strip():
                lines_read, refused = self._quote_block([rest], target, lines_read, refused)
        return lines_read, refused

    def _quote_block(
        self, lines: list[bytes], target: BinaryIO, lines_read: int, refused: int
    ) -> tuple[int, int]:
        # Whole-block operations run in C: one dict probe per line, then only the lines not
        # seen before go through the rules.
        outputs = list(map(self._lines.get, lines))
        for index in [i for i, found in enumerate(outputs) if found is None]:
            outputs[index] = self.quote_line(lines[index])  # an earlier line may have filled it
        outputs.append(b"")
        target.write(b"\n".join(outputs))
        if self._refused:
            refused += sum(map(self._refused.__contains__, outputs))
        return lines_read + len(lines), refused
