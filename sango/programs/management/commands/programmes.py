"""``sango programmes``: the programmes this installation has loaded, with their versions."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sango.core.wareki import wareki
from sango.programs.registry import get_registry

MODES = {"pre_application": "事前申請", "usage_card": "利用カード"}


class Command(BaseCommand):
    help = "読み込まれている制度と版の一覧を表示します。"

    def handle(self, *args, **options) -> None:
        registry = get_registry()
        for program in registry:
            self.stdout.write(
                f"{program.code} {program.name}（{program.document.municipality.prefecture}）"
            )
            self.stdout.write(f"  文書: {program.path}  施設: {len(program.facilities)}件")
            if program.code in registry.stale:
                self.stdout.write(
                    self.style.WARNING("  文書に問題があるため、前に読み込んだ版で動いています")
                )
            for rules in program.versions:
                until = f"〜{wareki(rules.effective_until)}" if rules.effective_until else "〜"
                services = "・".join(svc.name for svc in rules.services.values())
                self.stdout.write(
                    f"  {rules.effective_from.isoformat()} {wareki(rules.effective_from)}{until}"
                    f"  {MODES[rules.process.mode]}  {services}"
                )
        for path, problems in registry.broken.items():
            self.stdout.write(
                self.style.ERROR(
                    f"使用停止 {path}: {problems[0].field}: {problems[0].message}"
                    f"（問題 {len(problems)}件、sango check-programme で全部を表示）"
                )
            )
