"""``sango quote``: judge one use (JSON in, JSON out), or a JSONL batch. See docs/quote.md."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import BinaryIO

import orjson
from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        registry = get_registry()
        for problems in registry.broken.values():
            # The other municipalities are judged as usual; this one is said loudly.
            self.stderr.write(f"制度文書に問題があり、使われていません: {problems[0]}")
        quoter = Quoter(
            registry, lang=options["lang"], explain=options["explain"] or not options["batch"]
        )
        with ExitStack() as files:
            source = self._open(files, options["batch"] or options["file"], "rb", sys.stdin)
            target = self._open(files, options["output"], "wb", sys.stdout)
            if options["batch"]:
                done, refused = quoter.run_jsonl(source, target)
                target.flush()
                self.stderr.write(f"{done}件を判定しました（読めなかった行: {refused}件）")
                if refused:
                    raise SystemExit(EXIT_BAD_REQUEST)
                return
            try:
                result = quoter.quote(orjson.loads(source.read()))
            except orjson.JSONDecodeError:
                self._fail(target, RequestError("-", "JSONとして読めません"))
            except RequestError as exc:
                self._fail(target, exc)
            target.write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
            target.flush()

    def _open(self, files: ExitStack, path: str | None, mode: str, standard) -> BinaryIO:
        """The named file (closed when the command ends), or the standard stream."""
        if not path:
            return standard.buffer
        try:
            return files.enter_context(open(path, mode))
        except OSError as exc:
            raise CommandError(f"ファイルを開けません: {path}（{exc.strerror}）") from None

    def _fail(self, target, error: RequestError) -> None:
        target.write(orjson.dumps({"error": error.as_dict()}, option=orjson.OPT_INDENT_2) + b"\n")
        target.flush()
        raise SystemExit(EXIT_BAD_REQUEST)
