"""``sango.core.rows``: what the hand-written statements read and write is what the ORM reads
and writes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from sango.audit.models import AuditEvent
from sango.core.rows import columns, insert, insert_linked, instances
from sango.core.tests import factories as f
from sango.vouchers.models import Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()


def read_back(model, pk, extra: str = "") -> tuple:
    """The row of ``model`` with key ``pk``, as a hand-written statement selects it."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(model, 'r')}{extra} FROM {qn(model._meta.db_table)} r"
            f" WHERE r.{qn('id')} = %s",
            [pk],
        )
        return cursor.fetchone()


def test_instances_read_what_the_orm_reads() -> None:
    mother = f.mother_with_baby(born=f.days_ago(30))
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 3}))
    read, extra = instances(read_back(Voucher, voucher.pk, extra=", 42"), Voucher)
    fresh = Voucher.objects.get(pk=voucher.pk)
    names = [field.attname for field in Voucher._meta.concrete_fields]
    assert [getattr(read, n) for n in names] == [getattr(fresh, n) for n in names]
    assert type(read.valid_from) is type(fresh.valid_from) and extra == 42
    assert not read._state.adding and read._state.db == "default"
    assert read.municipality == fresh.municipality  # a foreign key reads its object on demand
    read.status = Voucher.Status.CANCELLED
    read.save(update_fields=["status"])
    assert Voucher.objects.get(pk=voucher.pk).status == Voucher.Status.CANCELLED


def test_instances_send_post_init_to_its_listeners() -> None:
    """An instance read is made as the ORM makes one: a ``post_init`` listener (as an
    ``ImageField`` or a change tracker connects) still hears of it."""
    mother = f.mother_with_baby(born=f.days_ago(30))
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 3}))
    heard = []

    def listen(sender, instance, **kwargs) -> None:
        heard.append(instance.pk)

    post_init.connect(listen, sender=Voucher)
    try:
        (read,) = instances(read_back(Voucher, voucher.pk), Voucher)
    finally:
        post_init.disconnect(listen, sender=Voucher)
    assert heard == [voucher.pk] and read.pk == voucher.pk


def test_insert_saves_as_save_does() -> None:
    """Defaults, ``auto_now_add``, JSON and the ``pre_save`` text cleaning all apply."""
    clerk = f.clerk()
    event = insert(
        AuditEvent(
            actor=clerk,
            action="test.\u202eevent",
            target_type="x",
            target_id=1,
            after={"a": [1, "二"]},
        )
    )
    assert event.pk and not event._state.adding and event.at is not None
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.after, stored.before) == ("test.event", {"a": [1, "二"]}, {})
    assert stored.at == event.at and stored.actor_id == clerk.pk


def test_insert_linked_saves_both_as_save_does() -> None:
    """The second row names the first by its new key; both are saved as ``save()`` saves,
    their signals (the text cleaning) included."""
    clerk = f.clerk()
    first = AuditEvent(actor=clerk, action="first.\u202eone", target_type="x", target_id=1)
    then = AuditEvent(actor=clerk, action="then", target_type="audit.auditevent", target_id=0)
    with CaptureQueriesContext(connection) as captured:
        insert_linked(first, then, "target_id")
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2)
    assert first.pk and then.pk and then.target_id == first.pk != then.pk
    assert not first._state.adding and not then._state.adding
    stored = AuditEvent.objects.get(pk=then.pk)
    assert (stored.target_id, stored.at) == (first.pk, then.at)
    assert AuditEvent.objects.get(pk=first.pk).action == "first.one"


@pytest.mark.parametrize(
    "after",
    [
        {"a": [1, "二", None, 1.5, True]},
        {"big": 123456789012345678901234567890},  # beyond 64 bits: an integer still
        {"negative": -(2**63)},
        [],
    ],
)
def test_json_is_read_as_the_orm_reads_it(after) -> None:
    event = insert(AuditEvent(action="t", target_type="x", target_id=1, after=after))
    (read,) = instances(read_back(AuditEvent, event.pk), AuditEvent)
    stored = AuditEvent.objects.get(pk=event.pk).after
    assert read.after == stored == after
    assert [type(v) for v in _leaves(read.after)] == [type(v) for v in _leaves(after)]


def _leaves(value):
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]
