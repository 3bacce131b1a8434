"""One Japanese message per mistake in a programme document, from pydantic's errors.

Where a field takes several shapes (an amount is yen or a list of steps; a table row is an amount
or a per-service table), pydantic reports every shape it tried, under locations such as
``constrained-int`` and ``list[Step]``: one mistake becomes three to seven English lines. Here
the shapes' names are dropped from the path, the shapes the value was obviously not meant to be
are dropped (the ones that failed at a shallower depth than the deepest), and what remains at one
path becomes one sentence saying what the field expects and what was written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sango.rules.errors import Problem

# pydantic's names for the shapes of a union, as they appear in an error's location.
_SHAPE_NAMES = frozenset({"constrained-int", "constrained-str", "int", "str", "float", "bool"})

_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "英小文字で始まる英小文字・数字・_ のコード（例: stay）で書いてください",
    r"^[a-z0-9][a-z0-9-]*$": "半角英小文字・数字・- の名前（例: soja-hospital）で書いてください",
    r"^\d{3}-\d{4}$": "郵便番号は 710-8501 の形で書いてください",
    r"^[0-9()\- ]+$": "電話番号は数字と - ( ) で書いてください（例: 0866-92-8269）",
    r"^[0-9]+(/[1-9][0-9]*)?$": '割合は "1/2" のような分数か "1" で書いてください',
}


def _is_shape(part: object) -> bool:
    """Whether a location part names a union member rather than a field, key or index.

    Fields, codes, tier codes and slugs are lower-case and never hold brackets; pydantic names
    members after their type (``list[Step]``, ``literal['fee']``) or model (``ContractService``).
    """
    if not isinstance(part, str):
        return False
    return part in _SHAPE_NAMES or "[" in part or part[:1].isupper()


@dataclass(frozen=True, slots=True)
class _Error:
    path: tuple  # the location without the shapes' names
    shapes: tuple[str, ...]  # the shapes' names met on the way
    root: tuple  # the path up to the first union, or the whole path
    kind: str
    message: str
    ctx: dict
    input: object
    has_input: bool
    at_shape: bool  # the location ends with a shape's name: the value fit none of the shapes


def _read(error: dict) -> _Error:
    path, shapes, root = [], [], None
    for part in error["loc"]:
        if _is_shape(part):
            shapes.append(part)
            if root is None:
                root = tuple(path)
        else:
            path.append(part)
    return _Error(
        tuple(path),
        tuple(shapes),
        tuple(path) if root is None else root,
        error["type"],
        error["msg"],
        error.get("ctx") or {},
        error.get("input"),
        "input" in error,
        bool(error["loc"]) and _is_shape(error["loc"][-1]),
    )


def problems_from_errors(name: str, errors: Iterable[dict]) -> list[Problem]:
    """The problems of document ``name`` for pydantic's ``ValidationError.errors()``."""
    read = [_read(e) for e in errors]
    deepest: dict[tuple, int] = {}
    for e in read:
        if e.shapes:
            deepest[e.root] = max(deepest.get(e.root, 0), len(e.path))
    kept = [e for e in read if not e.shapes or len(e.path) == deepest[e.root]]
    by_path: dict[tuple, list[_Error]] = {}
    for e in kept:
        by_path.setdefault(e.path, []).append(e)
    return list(_problems(name, by_path))


def _problems(name: str, by_path: dict[tuple, list[_Error]]) -> Iterator[Problem]:
    missing = {p[:-1]: p[-1] for p, es in by_path.items() if es[0].kind == "missing" and p}
    extra = {p[:-1] for p, es in by_path.items() if es[0].kind == "extra_forbidden" and p}
    for path, found in by_path.items():
        where = ".".join(str(part) for part in path) or "-"
        first = found[0]
        if first.kind == "missing" and path[:-1] in extra:
            continue  # said with the misspelt key beside it
        if first.kind == "extra_forbidden" and path[:-1] in missing:
            wanted = missing[path[:-1]]
            text = f"この項目は書式にありません。必須の {wanted} の書き間違いではありませんか"
        elif len(found) > 1 or first.shapes:
            text = _several(found)
        else:
            text = _one(first)
        yield Problem(name, where, text)


def _several(found: list[_Error]) -> str:
    """One sentence for a value that fits none of a field's shapes."""
    at_shape = [e for e in found if e.at_shape]
    if not at_shape:
        return _one(found[0])  # a plain field inside one shape (a step's amount)
    specific = [e for e in at_shape if e.kind not in ("int_type", "list_type", "dict_type")]
    if len(specific) == 1 and specific[0].kind != "literal_error":
        return _one(specific[0])  # the right shape, a wrong value (-1 yen)
    shapes = [e.shapes[-1] for e in at_shape]
    money = "list[Step]" in shapes
    value = next((e.input for e in at_shape if e.has_input), None)
    if "constrained-int" in shapes and isinstance(value, str | float) and _numeric(value):
        return f"{_TEXTS['int_type']}（書かれていた値: {value!r}）"  # "15000", 15000.0
    ways = []
    for e, shape in zip(at_shape, shapes, strict=True):
        if shape.startswith("literal["):
            ways.append(str(e.ctx.get("expected", shape)))
        elif shape == "constrained-int":
            ways.append("0以上の整数（円）" if money else "0以上の整数")
        elif shape == "list[Step]":
            ways.append("回数ごとの額の並び（- {from: 1, to: 2, amount: 3000}）")
        elif shape.startswith("dict["):
            example = (
                "stay: 3000"
                if money or any(s.startswith("literal[") for s in shapes)
                else "stay: 10"
            )
            ways.append(f"区分またはサービスごとの表（{example} のように）")
        else:
            ways.append(_one(e))
    return f"{'か、'.join(dict.fromkeys(ways))}で書いてください（書かれていた値: {value!r}）"


def _numeric(value: str | float) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _one(e: _Error) -> str:
    """pydantic's message for one error, in Japanese, with what was written."""
    if e.kind == "missing":
        return "必須の項目がありません"
    if e.kind == "extra_forbidden":
        return "この項目は書式にありません（綴りを確かめてください）"
    if e.kind in ("value_error", "assertion_error"):
        return e.message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    text = _TEXTS.get(e.kind)
    if e.kind == "string_pattern_mismatch":
        text = _PATTERNS.get(e.ctx.get("pattern", ""), "書き方が違います")
    elif text is None:
        text = e.message
    else:
        ctx = {**e.ctx}
        if "expected" in ctx:
            ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
        text = text.format(**ctx)
    return f"{text}（書かれていた値: {e.input!r}）" if e.has_input else text


_TEXTS = {
    "int_type": '整数で書いてください（"15000" や 15000.0 ではなく 15000）',
    "int_parsing": '整数で書いてください（"15000" や 15000.0 ではなく 15000）',
    "int_from_float": '整数で書いてください（"15000" や 15000.0 ではなく 15000）',
    "greater_than_equal": "{ge} 以上にしてください",
    "greater_than": "{gt} より大きくしてください",
    "less_than_equal": "{le} 以下にしてください",
    "less_than": "{lt} より小さくしてください",
    "literal_error": "次のいずれかです: {expected}",
    "enum": "次のいずれかです: {expected}",
    "string_type": "文字列で書いてください",
    "bool_type": "true か false で書いてください",
    "bool_parsing": "true か false で書いてください",
    "float_type": "数で書いてください",
    "float_parsing": "数で書いてください",
    "list_type": "並び（- で始まる行）で書いてください",
    "dict_type": "項目の並び（名前: 値）で書いてください",
    "model_type": "項目の並び（名前: 値）で書いてください",
    "model_attributes_type": "項目の並び（名前: 値）で書いてください",
    "too_short": "{min_length}つ以上書いてください",
    "too_long": "{max_length}つまでにしてください",
    "date_type": "日付は 2026-04-01 の形で書いてください",
    "date_parsing": "日付は 2026-04-01 の形で書いてください",
    "date_from_datetime_parsing": "日付は 2026-04-01 の形で書いてください",
    "date_from_datetime_inexact": "日付は 2026-04-01 の形で書いてください（時刻はつけません）",
    "time_type": '時刻は "10:00" の形で書いてください',
    "time_parsing": '時刻は "10:00" の形で書いてください',
}
