"""The waitlist's background task: ``waitlist_expire_offers`` expires the offers past their
expiry and passes each place to the next mother waiting. Each offer queues it for the moment
it runs out (``run_after``); the task worker (``sango db_worker``) runs it then. The services
and selectors also expire lazily, so nothing depends on the worker's timing."""

from __future__ import annotations

from django_tasks import task


@task()
def waitlist_expire_offers() -> int:
    """Expire every offer that is past due, everywhere; returns how many expired."""
    from sango.bookings.waitlist import waitlist_offers_expire

    return waitlist_offers_expire()
