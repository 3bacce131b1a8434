"""``sango send_reminders``: tell each mother with a confirmed booking starting tomorrow. Run
once a day (cron); running it again the same day writes and mails nothing more (one message
per booking, by its key)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from sango.bookings.models import Booking
from sango.notifications.events.bookings import booking_reminder


class Command(BaseCommand):
    help = "明日から利用する確定済みの予約の前日のお知らせを送ります。"

    def handle(self, *args, **options) -> None:
        tomorrow = timezone.localdate() + timedelta(days=1)
        bookings = Booking.objects.filter(
            start_date=tomorrow, status=Booking.Status.CONFIRMED, mother__user__isnull=False
        ).select_related("facility", "municipality", "mother__user")
        written = 0
        for booking in bookings:
            with transaction.atomic():
                written += booking_reminder(booking=booking)
        self.stdout.write(f"reminders: {written}")
