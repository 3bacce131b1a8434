"""``sango load-programmes``: put the programme documents' municipalities, offices, facilities
and contracts into the database (run after deploying a changed document)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sango.municipalities.services import programmes_sync
from sango.programs.registry import get_registry


class Command(BaseCommand):
    help = "制度文書の市町村・窓口・施設・委託契約をデータベースに読み込みます。"

    def handle(self, *args, **options) -> None:
        registry = get_registry()
        for summary in programmes_sync(registry=registry):
            revision = "新しい版を記録" if summary.new_revision else "変更なし"
            self.stdout.write(
                f"{summary.municipality}: 窓口 {summary.offices}件、施設 {summary.facilities}件"
                f"（文書: {revision}）"
            )
        # The good documents are loaded; a broken one is skipped, said, and fails the command so
        # that a deployment notices it.
        for path, problems in registry.broken.items():
            self.stderr.write(
                self.style.ERROR(
                    f"読み込みませんでした {path}: {problems[0].field}: {problems[0].message}"
                )
            )
        if registry.broken:
            raise SystemExit(1)
