"""``sango.core.rows``: what the hand-written statements read and write is what the ORM reads
and writes."""

from __future__ import annotations

import pytest
from django.db import connection

from sango.audit.models import AuditEvent
from sango.core.rows import columns, insert, instances
from sango.core.tests import factories as f
from sango.vouchers.models import Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()


def test_instances_read_what_the_orm_reads() -> None:
    mother = f.mother_with_baby(born=f.days_ago(30))
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 3}))
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(Voucher, 'v')}, 42 FROM {qn(Voucher._meta.db_table)} v"
            f" WHERE v.{qn('id')} = %s",
            [voucher.pk],
        )
        read, extra = instances(cursor.fetchone(), Voucher)
    fresh = Voucher.objects.get(pk=voucher.pk)
    names = [field.attname for field in Voucher._meta.concrete_fields]
    assert [getattr(read, n) for n in names] == [getattr(fresh, n) for n in names]
    assert type(read.valid_from) is type(fresh.valid_from) and extra == 42
    assert not read._state.adding


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
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(AuditEvent, 'e')} FROM {qn(AuditEvent._meta.db_table)} e"
            f" WHERE e.{qn('id')} = %s",
            [event.pk],
        )
        (read,) = instances(cursor.fetchone(), AuditEvent)
    stored = AuditEvent.objects.get(pk=event.pk).after
    assert read.after == stored == after
    assert [type(v) for v in _leaves(read.after)] == [type(v) for v in _leaves(after)]


def _leaves(value):
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]
