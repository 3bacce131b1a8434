"""``sango check-programme FILE...``: validate programme documents before they are deployed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from sango.core.wareki import wareki
from sango.rules.errors import ProgramError
from sango.rules.loader import load_program


class Command(BaseCommand):
    help = "制度文書（YAML）を検証します。問題があればファイル・項目・期待される内容を表示します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, **options) -> None:
        failed = 0
        for path in options["files"]:
            try:
                program = load_program(path)
            except ProgramError as exc:
                failed += 1
                for problem in exc.problems:
                    self.stdout.write(self.style.ERROR(str(problem)))
                continue
            versions = "、".join(wareki(v.effective_from) for v in program.versions)
            self.stdout.write(
                self.style.SUCCESS(
                    f"OK {path}: {program.name}（{program.code}）"
                    f" 版 {versions}、施設 {len(program.facilities)}件"
                )
            )
        if failed:
            raise SystemExit(1)
