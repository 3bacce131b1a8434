"""A real ``sango db_worker`` process mails a queued message, once. The processes share a file
SQLite database in a temporary directory (the tests' in-memory one cannot be shared), and the
dev settings write mail to files there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SANGO = [str(Path(sys.executable).parent / "sango")]

QUEUE = """
from django.db import transaction
from sango.accounts.models import User
from sango.notifications.services import notify
user = User.objects.create_user("w@example.jp", email="w@example.jp", role="mother")
with transaction.atomic():
    notify(recipients=[user], key="worker:1", subject="件名", body="本文です", link="/my/")
"""


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(SANGO + args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_worker_process_mails_a_queued_message_once(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sango.config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SANGO_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    run(["migrate", "--no-input", "-v", "0"], env)
    run(["shell", "-c", QUEUE], env)
    worker = ["db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    run(worker, env)
    mails = list((tmp_path / "mail").iterdir())
    assert len(mails) == 1
    text = mails[0].read_text()
    assert "To: w@example.jp" in text
    assert "/my/messages/" in text
    # A second worker run (a retried job) finds it mailed and sends nothing more.
    again = (
        "from sango.notifications.models import Message; "
        "from sango.notifications.tasks import message_mail; "
        "message_mail.enqueue(message_id=Message.objects.get().pk)"
    )
    run(["shell", "-c", again], env)
    run(worker, env)
    assert len(list((tmp_path / "mail").iterdir())) == 1
