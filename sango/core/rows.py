"""Model instances from statements written out by hand, converted as the ORM converts what it
reads.

The hot paths (a token's request, a voucher checked, a use recorded) run a few statements on
every request. Composed by the ORM, each costs more to compile than PostgreSQL takes to run
it, so those few are written out: ``columns`` gives a model's select list under an alias, and
``instances`` turns the row back into instances, through the converters the ORM would apply
(SQLite's text dates and integer booleans, JSON text, aware times); ``insert`` saves a new
instance as ``save()`` does. What can be composed once is composed once per process and
backend.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

import orjson
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

Converter = Callable[[Any, Any, Any], Any]


def columns(model: type[models.Model], alias: str) -> str:
    """The select list of ``model``'s concrete fields under ``alias``, in ``instances``' order."""
    return _columns(type(connection.ops), model, alias)


@cache
def _columns(backend: type, model: type[models.Model], alias: str) -> str:
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(field.column)}" for field in model._meta.concrete_fields)


def insert(instance: models.Model) -> models.Model:
    """Save the new ``instance`` as ``Model.save()`` saves one: the same ``pre_save`` and
    ``post_save`` signals (Sango's text cleaning is one), each field's own ``pre_save``
    (``auto_now_add``) and conversion for the database — through an INSERT composed once per
    model and backend. For a new ``instance`` of a model with an automatic key, uninherited."""
    db = connections[DEFAULT_DB_ALIAS]  # the proxy ``connection`` costs a lookup per attribute
    values = _before_insert(instance, db)
    _, sql = _insert_plan(type(db.ops), type(instance))
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        _after_insert(instance, _inserted_pk(cursor, type(instance), db), db)
    return instance


def insert_linked(first: models.Model, then: models.Model, link: str) -> None:
    """``insert`` both new instances, ``then``'s ``link`` (an attribute name, such as an audit
    event's ``target_id``) set to ``first``'s new key: in one statement where the database
    can (PostgreSQL, a data-modifying WITH), otherwise one after the other. ``then`` being
    saved with ``first`` or not at all — an event with its change — either way."""
    db = connections[DEFAULT_DB_ALIAS]
    first_values = _before_insert(first, db)
    if db.vendor != "postgresql":
        _, sql = _insert_plan(type(db.ops), type(first))
        with db.cursor() as cursor:
            cursor.execute(sql, first_values)
            _after_insert(first, _inserted_pk(cursor, type(first), db), db)
        setattr(then, link, first.pk)
        insert(then)
        return
    then_values = _before_insert(then, db)
    sql, index = _linked_plan(type(db.ops), type(first), type(then), link)
    del then_values[index]  # written by the statement: the first row's key
    with db.cursor() as cursor:
        cursor.execute(sql, [*first_values, *then_values])
        then_pk, first_pk = cursor.fetchone()
    _after_insert(first, first_pk, db)
    setattr(then, link, first_pk)
    _after_insert(then, then_pk, db)


def _before_insert(instance: models.Model, db: Any) -> list[Any]:
    """Send ``pre_save`` and return the instance's values as the INSERT writes them."""
    model = type(instance)
    signals.pre_save.send(
        sender=model, instance=instance, raw=False, using=db.alias, update_fields=None
    )
    fields, _ = _insert_plan(type(db.ops), model)
    return [field.get_db_prep_save(field.pre_save(instance, True), db) for field in fields]


def _inserted_pk(cursor: Any, model: type[models.Model], db: Any) -> Any:
    if db.features.can_return_columns_from_insert:
        return cursor.fetchone()[0]
    return db.ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column)


def _after_insert(instance: models.Model, pk: Any, db: Any) -> None:
    model, alias = type(instance), db.alias
    setattr(instance, model._meta.pk.attname, pk)
    instance._state.adding, instance._state.db = False, alias
    signals.post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=alias
    )


@cache
def _insert_plan(backend: type, model: type[models.Model]) -> tuple[list[Any], str]:
    meta = model._meta
    if meta.parents or not isinstance(meta.pk, models.AutoField):
        raise TypeError(f"{meta.label}: insert() saves models with an automatic key, uninherited")
    qn = connection.ops.quote_name
    fields = [
        field
        for field in meta.concrete_fields
        if not field.primary_key and not getattr(field, "generated", False)
    ]
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(field.column) for field in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {qn(meta.pk.column)}"
    return fields, sql


@cache
def _linked_plan(
    backend: type, first: type[models.Model], then: type[models.Model], link: str
) -> tuple[str, int]:
    """PostgreSQL's statement inserting a ``first`` row and a ``then`` row whose ``link`` is
    the first's key, returning the second's key and the first's; and the index of ``link``
    among ``then``'s values, which the statement writes itself."""
    qn = connection.ops.quote_name
    _, first_sql = _insert_plan(backend, first)
    then_fields, _ = _insert_plan(backend, then)
    index = [field.attname for field in then_fields].index(link)
    values = ["%s"] * len(then_fields)
    values[index] = f"(SELECT {qn(first._meta.pk.column)} FROM linked)"
    columns_written = ", ".join(qn(field.column) for field in then_fields)
    sql = (
        f"WITH linked AS ({first_sql}) INSERT INTO {qn(then._meta.db_table)} ({columns_written})"
        f" VALUES ({', '.join(values)})"
        f" RETURNING {qn(then._meta.pk.column)}, {qn(then_fields[index].column)}"
    )
    return sql, index


def converted(value: Any, expression: Any) -> Any:
    """``value`` as the ORM reads it for ``expression`` (a field's column, or an annotation)."""
    for convert in _expression_converters(expression):
        value = convert(value, expression, connection)
    return value


def instances(row: Sequence[Any], *models_read: type[models.Model]) -> tuple[Any, ...]:
    """One instance per model of ``models_read`` from ``row``, whose columns are the models'
    ``columns`` in that order, followed by anything else selected (returned after them, as
    read: convert it with ``converted``)."""
    db = connections[DEFAULT_DB_ALIAS]
    read: list[Any] = []
    start = 0
    for model in models_read:
        names, steps = _plan(model, db)
        values = _converted(row[start : start + len(names)], steps, db)
        read.append(_from_db(model, db.alias, names, values))
        start += len(names)
    return (*read, *row[start:])


def _from_db(model: type[models.Model], alias: str, names: list[str], values: list[Any]) -> Any:
    """``model.from_db``, with every concrete field's value: its ``__init__`` sets each one
    through the class's attribute and sends ``pre_init`` and ``post_init`` (a third of reading
    a row here). Where that attribute only stores the value on a new instance and nothing
    listens to either signal, the values go straight into the instance's ``__dict__`` — the
    instance ``__init__`` would have made."""
    if not _plain_init(model) or _init_observed(model):
        return model.from_db(alias, names, values)
    made = object.__new__(model)
    state = ModelState()
    state.adding, state.db = False, alias
    made.__dict__.update(zip(names, values, strict=True))
    made._state = state
    return made


def _init_observed(model: type[models.Model]) -> bool:
    """Whether a ``pre_init`` or ``post_init`` receiver listens to ``model`` (neither signal
    has any receiver at all in Sango: that is checked first)."""
    return any(
        signal.receivers and signal.has_listeners(model)
        for signal in (signals.pre_init, signals.post_init)
    )


@cache
def _plain_init(model: type[models.Model]) -> bool:
    """Whether ``model`` is made by Django's own ``__init__`` and ``from_db``, and each of
    its fields' attributes is a ``DeferredAttribute`` (a plain field's, which stores nothing
    itself; a foreign key's, which on a new instance only stores the id)."""
    if model.__init__ is not models.Model.__init__:
        return False
    if model.from_db.__func__ is not models.Model.from_db.__func__:
        return False
    return all(
        type(inspect.getattr_static(model, field.attname, None))
        in (DeferredAttribute, ForeignKeyDeferredAttribute)
        for field in model._meta.concrete_fields
    )


# A column to convert: its index, its expression and its converters, the backend's then the
# field's.
Step = tuple[int, Any, list[tuple[Converter, bool]]]
Plan = tuple[list[str], list[Step]]
# Per backend and model. A converter of the backend is kept unbound (with True) and called
# with the connection's own ``ops``: the plan outlives any one connection.
_plans: dict[tuple[type, type[models.Model]], Plan] = {}


def _plan(model: type[models.Model], db: Any) -> Plan:
    """``model``'s attribute names, and for each column with converters its index, its
    expression and the converters (the backend's, then the field's)."""
    key = (type(db.ops), model)
    if key not in _plans:
        _plans[key] = _planned(model)
    return _plans[key]


def _planned(model: type[models.Model]) -> Plan:
    fields = model._meta.concrete_fields
    table = model._meta.db_table
    return [field.attname for field in fields], _steps(field.get_col(table) for field in fields)


def reader(expressions: Sequence[Any]) -> Callable[[Iterable[Sequence[Any]]], list[list[Any]]]:
    """What turns rows into their values as the ORM reads them, column by column, for
    ``expressions`` (the columns' ``field.get_col(alias)``, in the rows' order; a column after
    them is left as it is): a list read as plain values. Planned for the current backend: keep
    it per backend."""
    steps = _steps(expressions)

    def read(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
        db = connections[DEFAULT_DB_ALIAS]  # once for the rows: Django's lookup is a proxy's
        return [_converted(row, steps, db) for row in rows]

    return read


def _converted(row: Sequence[Any], steps: list[Step], db: Any) -> list[Any]:
    read = list(row)
    ops = db.ops
    for index, expression, chain in steps:
        value = read[index]
        for convert, of_backend in chain:
            if of_backend:
                value = convert(ops, value, expression, db)
            else:
                value = convert(value, expression, db)
        read[index] = value
    return read


def _steps(expressions: Any) -> list[Step]:
    """A step for each expression with converters."""
    ops = connection.ops
    steps = []
    for index, expression in enumerate(expressions):
        chain = [
            (convert.__func__, True)
            if getattr(convert, "__self__", None) is ops
            else (_json_read if _plain_json(convert) else convert, False)
            for convert in _expression_converters(expression)
        ]
        if chain:
            steps.append((index, expression, chain))
    return steps


def _plain_json(convert: Any) -> bool:
    """Whether ``convert`` is a ``JSONField``'s reading of its text with the standard decoder."""
    field = getattr(convert, "__self__", None)
    return isinstance(field, models.JSONField) and field.decoder is None


def _json_read(value: Any, expression: Any, connection: Any) -> Any:
    """A ``JSONField``'s ``from_db_value`` without a decoder of its own, read by orjson (the
    same values in a fraction of the time: a list of uses reads two per row). A text orjson
    would read otherwise — with 20 digits in a row, where an integer may exceed 64 bits (orjson
    makes it a float) — or refuses (NaN) is read as the field reads it."""
    if isinstance(value, str) and _LONG_DIGITS.search(value) is None:
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            pass
    return expression.output_field.from_db_value(value, expression, connection)


_LONG_DIGITS = re.compile(r"\d{20}")


def _expression_converters(expression: Any) -> list[Converter]:
    return connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
