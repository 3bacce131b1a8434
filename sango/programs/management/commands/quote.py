"""``sango quote``: judge one use (JSON in, JSON out), or a JSONL batch. See docs/quote.md."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
from django.core.management.base import BaseCommand, CommandParser

from sango.programs.registry import get_registry
from sango.rules.batch import Quoter
from sango.rules.errors import RequestError

EXIT_BAD_REQUEST = 2


class Command(BaseCommand):
    help = "利用1件（JSON）または複数件（JSONL）を、利用日に有効な制度で判定します。"
    # The command needs no database or URL checks; the programme documents are validated when
    # the registry loads, and a batch job should not pay for the rest on every run.
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="request JSON file (default: standard input)")
        parser.add_argument("--batch", metavar="FILE.jsonl", help="one request per line")
        parser.add_argument("--output", metavar="FILE", help="write results here (default: stdout)")
        parser.add_argument("--lang", choices=["ja", "en"], default="ja")
        parser.add_argument("--explain", action="store_true", help="in --batch, add explanations")

    def handle(self, *args, **options) -> None:
        target = open(options["output"], "wb") if options["output"] else sys.stdout.buffer  # noqa: SIM115
        try:
            if options["batch"]:
                quoter = Quoter(get_registry(), lang=options["lang"], explain=options["explain"])
                with open(options["batch"], "rb") as source:
                    done, refused = quoter.run_jsonl(source, target)
                self.stderr.write(f"{done}件を判定しました（読めなかった行: {refused}件）")
                if refused:
                    raise SystemExit(EXIT_BAD_REQUEST)
                return
            raw = Path(options["file"]).read_bytes() if options["file"] else sys.stdin.buffer.read()
            quoter = Quoter(get_registry(), lang=options["lang"], explain=True)
            try:
                result = quoter.quote(orjson.loads(raw))
            except orjson.JSONDecodeError:
                self._fail(target, RequestError("-", "JSONとして読めません"))
            except RequestError as exc:
                self._fail(target, exc)
            target.write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
        finally:
            target.flush()
            if target is not sys.stdout.buffer:
                target.close()

    def _fail(self, target, error: RequestError) -> None:
        target.write(orjson.dumps({"error": error.as_dict()}, option=orjson.OPT_INDENT_2) + b"\n")
        target.flush()
        raise SystemExit(EXIT_BAD_REQUEST)
