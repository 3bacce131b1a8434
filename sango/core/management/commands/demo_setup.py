"""``sango demo_setup``: prepare a local demo site. Not for production data."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "sango-demo"


class Command(BaseCommand):
    help = "Create the demo superuser (admin / sango-demo) if absent and print how to log in."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        # An existing admin keeps its password: a developer may have changed it on purpose.
        if user_model.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(f"Demo superuser '{DEMO_USERNAME}' already exists; left unchanged.")
        else:
            user_model.objects.create_superuser(
                username=DEMO_USERNAME, email="", password=DEMO_PASSWORD
            )
            self.stdout.write(self.style.SUCCESS(f"Created demo superuser '{DEMO_USERNAME}'."))
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/admin/ as {DEMO_USERNAME} / {DEMO_PASSWORD}"
        )
