"""``sango mail_unsent``: queue again the messages not mailed a few minutes after they were
written (a task lost between the commit and the queue, or retries that gave out early). Run it
from cron every few minutes beside ``sango db_worker``; the task itself never mails twice."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from sango.notifications.services import messages_unmailed
from sango.notifications.tasks import message_mail


class Command(BaseCommand):
    help = "送信できていないお知らせのメールを、もう一度送信の順番に入れます。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--minutes", type=int, default=10, help="これより古いものだけ")

    def handle(self, *args, minutes: int, **options) -> None:
        ids = messages_unmailed(older_than=timedelta(minutes=minutes))
        for message_id in ids:
            message_mail.enqueue(message_id=message_id)
        self.stdout.write(f"queued: {len(ids)}")
