"""Many uses at once: retroactive recalculation, billing, reports and ``sango quote --batch``.

Real batches repeat themselves (a month of uses shares a few tiers, fees, facilities and
dates), so results are memoised: by the request for in-memory batches, and by the raw input line
for JSONL. ``evaluate`` is pure, so a memoised result is the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

import orjson

from sango.rules.errors import RequestError
from sango.rules.evaluate import Result, evaluate
from sango.rules.loader import Registry
from sango.rules.program import Program
from sango.rules.request import UseRequest, request_from_dict

# Memo sizes: enough for every distinct use of a large city's year, small enough for a laptop.
_MAX_MEMO = 200_000


class Quoter:
    """Judges uses against a registry of programmes. One instance per batch or process."""

    def __init__(self, registry: Registry, *, lang: str = "ja", explain: bool = False) -> None:
        self.registry = registry
        self.lang = lang
        self.explain = explain
        self._results: dict[UseRequest, Result | RequestError] = {}
        self._lines: dict[bytes, bytes] = {}

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

    def results(self, requests: Iterable[UseRequest]) -> Iterator[Result | RequestError]:
        """Judge many requests in order; an unreadable one yields its error instead."""
        memo = self._results
        for request in requests:
            found = memo.get(request)
            if found is None:
                try:
                    found = self.result(request)
                except RequestError as exc:
                    found = exc
            yield found

    def quote(self, data: object) -> dict:
        """One request object in, one result object out (the ``sango quote`` JSON)."""
        request = request_from_dict(data)
        program = self.program(request.municipality)
        return self.result(request).as_dict(self.lang, program)

    def quote_line(self, line: bytes) -> bytes:
        """One JSONL line in, one JSON line out (without newline); errors become error objects."""
        found = self._lines.get(line)
        if found is not None:
            return found
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            error = {"field": "-", "code": "invalid_json", "message": "JSONとして読めません"}
            output = orjson.dumps({"error": error})
        else:
            try:
                output = orjson.dumps(self.quote(data))
            except RequestError as exc:
                output = orjson.dumps({"error": exc.as_dict()})
        if len(self._lines) >= _MAX_MEMO:
            self._lines.clear()
        self._lines[line] = output
        return output

    def run_jsonl(self, source: BinaryIO, target: BinaryIO) -> tuple[int, int]:
        """Quote every non-empty line of ``source`` to ``target`` in order.

        Returns (lines quoted, lines refused). Blank lines are echoed as blank lines so that line
        N of the output always answers line N of the input.
        """
        done = refused = 0
        chunk: list[bytes] = []
        quote_line = self.quote_line
        for raw in source:
            line = raw.strip()
            if not line:
                chunk.append(b"")
                continue
            output = quote_line(line)
            if output.startswith(b'{"error"'):
                refused += 1
            chunk.append(output)
            done += 1
            if len(chunk) >= 65536:
                target.write(b"\n".join(chunk) + b"\n")
                chunk.clear()
        if chunk:
            target.write(b"\n".join(chunk) + b"\n")
        return done, refused
