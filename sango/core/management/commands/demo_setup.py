"""``sango demo_setup``: prepare a local demo site. Not for production data.

Loads the programmes, then builds a month of fictional cases in 総社市 and 熊本市 through the
real services (see ``sango.demo``), relative to today. A second run finds the demo in place and
only prints the logins. Prints counts, never personal data.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from sango.demo.accounts import ADMIN_USERNAME, DEMO_PASSWORD, SITE, login_table
from sango.demo.scenario import DemoError, demo_build, demo_present, demo_summary

DEMO_USERNAME = ADMIN_USERNAME
__all__ = ["DEMO_PASSWORD", "DEMO_USERNAME", "Command"]


class Command(BaseCommand):
    help = (
        "Create the demo (programmes, logins with password sango-demo, a month of cases in "
        "総社市 and 熊本市) if absent, and print how to log in."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SANGO_PRODUCTION:
            # Its logins share one published password and skip the password rules.
            raise CommandError(
                "demo_setup refuses to run under production settings "
                "(sango.config.settings.prod): the demo's logins all have the published "
                "password 'sango-demo'."
            )
        self._admin()
        try:
            if demo_present():
                self.stdout.write("The demo is already in this database; nothing created.")
            else:
                self._build()
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(login_table())
        self.stdout.write("")
        self.stdout.write(f"Every demo login has the password '{DEMO_PASSWORD}'.")
        self.stdout.write(f"Staff office: {SITE}/staff/   Facility portal: {SITE}/facility/")
        self.stdout.write(f"マイページ (mothers, on a phone): {SITE}/my/   Find: {SITE}/my/find/")
        self.stdout.write(f"Admin site: {SITE}/admin/   API docs: {SITE}/api/docs/")
        self.stdout.write(
            f"Log in at {SITE}/staff/ as soja-clerk / {DEMO_PASSWORD}, at {SITE}/facility/ as "
            f"kaneko / {DEMO_PASSWORD}, at {SITE}/my/ as hanako / {DEMO_PASSWORD}, at "
            f"{SITE}/admin/ as {DEMO_USERNAME} / {DEMO_PASSWORD}. Mail the demo sends (sign-up "
            "links, notifications) is written to var/mail/."
        )

    def _admin(self) -> None:
        user_model = get_user_model()
        # An existing admin keeps its password: a developer may have changed it on purpose.
        if user_model.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(f"Demo superuser '{DEMO_USERNAME}' already exists; left unchanged.")
            return
        user_model.objects.create_superuser(
            username=DEMO_USERNAME, email="", password=DEMO_PASSWORD, role=user_model.Role.ADMIN
        )
        self.stdout.write(self.style.SUCCESS(f"Created demo superuser '{DEMO_USERNAME}'."))

    def _build(self) -> None:
        today = timezone.localdate()
        for line in demo_build(today=today):
            self.stdout.write(f"Programme loaded: {line}")
        self.stdout.write(self.style.SUCCESS(f"Created the demo as of {today.isoformat()}:"))
        for line in demo_summary():
            self.stdout.write(line)
