"""Reading programme documents from YAML; errors name the file, the field and what was expected."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from sango.rules import schema as s
from sango.rules.errors import Problem, ProgramError
from sango.rules.program import SECTIONS, Program, build_program
from sango.rules.validation import problems_from_errors


def load_program(path: str | Path) -> Program:
    """Read, validate and compile one document. Raises ``ProgramError`` listing every problem."""
    name = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProgramError([Problem(name, "-", f"読めません: {exc.strerror}")]) from exc
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"{where.line + 1}行目" if where else "-"
        raise ProgramError([Problem(name, line, f"YAMLとして読めません: {exc}")]) from exc
    return program_from_data(raw, name)


def program_from_data(raw: object, name: str) -> Program:
    """Validate an already parsed document (a dict) and compile it."""
    if not isinstance(raw, dict):
        raise ProgramError(
            [Problem(name, "-", "文書の最上位は項目の並び（mapping）にしてください")]
        )
    try:
        document = s.ProgramDocument.model_validate(raw)
    except ValidationError as exc:
        raise ProgramError(problems_from_errors(name, exc.errors())) from exc
    problems = check_references(document, name)
    if problems:
        raise ProgramError(problems)
    return build_program(document, name)


def check_references(document: s.ProgramDocument, name: str) -> list[Problem]:
    """Every code a rule mentions must exist; the first version must be complete."""
    return list(_ReferenceCheck(document, name).run())


@dataclass
class _ReferenceCheck:
    document: s.ProgramDocument
    name: str

    def run(self) -> Iterator[Problem]:
        doc = self.document
        yield from self._refs("", doc)
        offices = {o.code for o in doc.offices}
        dates = [v.effective_from for v in doc.versions]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            yield Problem(
                self.name, "versions", "effective_from は古い順に、重複なく並べてください"
            )
        all_codes: set[str] = set()
        carried: dict[str, object] = {}
        for i, version in enumerate(doc.versions):
            where = f"versions.{i}"
            for section in SECTIONS:
                if getattr(version, section) is not None:
                    carried[section] = getattr(version, section)
                elif i == 0:
                    yield Problem(
                        self.name, f"{where}.{section}", "最初の版にはすべての節が必要です"
                    )
            if len(carried) == len(SECTIONS):
                all_codes |= yield from self._version(where, carried, offices)
        yield from self._facilities(all_codes)

    def _refs(self, where: str, model: s.BaseModel) -> Iterator[Problem]:
        """Every ``ref`` must start with a key of ``sources``."""
        for key, value in model:
            path = f"{where}.{key}" if where else key
            if key == "ref" and isinstance(value, str):
                source = value.partition(":")[0].strip()
                if source not in self.document.sources:
                    known = ", ".join(self.document.sources)
                    yield Problem(
                        self.name, path, f"出典 {source!r} が sources にありません（{known}）"
                    )
            elif isinstance(value, s.BaseModel):
                yield from self._refs(path, value)
            elif isinstance(value, list):
                for j, item in enumerate(value):
                    if isinstance(item, s.BaseModel):
                        yield from self._refs(f"{path}.{j}", item)

    def _version(self, where: str, carried: dict, offices: set[str]):
        services: list[s.Service] = carried["services"]
        sub_codes = [sub.code for svc in services for sub in svc.subtypes]
        codes = yield from self._unique(f"{where}.services", [svc.code for svc in services])
        codes |= yield from self._unique(f"{where}.services.subtypes", sub_codes)
        for svc in services:
            if svc.code in sub_codes:
                yield Problem(
                    self.name, f"{where}.services", f"{svc.code} はサービスと区分の両方にあります"
                )
        caps: list[s.Cap] = carried["caps"]
        for j, cap in enumerate(caps):
            for code in [*cap.services, *cap.weights]:
                if code not in codes:
                    yield Problem(self.name, f"{where}.caps.{j}", _unknown("サービス", code, codes))
        money: s.Money = carried["money"]
        tiers = {t.code for t in money.tiers}
        for j, layer in enumerate(money.funding):
            yield from self._funding(f"{where}.money.funding.{j}", layer, tiers, codes)
        if money.fee_basis == "programme":
            for svc in services:
                needs = [sub.code for sub in svc.subtypes] or [svc.code]
                for code in needs:
                    if code not in money.base_fees and svc.code not in money.base_fees:
                        yield Problem(
                            self.name, f"{where}.money.base_fees", f"{code} の基準額がありません"
                        )
        for table in ("base_fees", "base_additional_infant_fees"):
            for code in getattr(money, table):
                if code not in codes:
                    msg = _unknown("サービス", code, codes)
                    yield Problem(self.name, f"{where}.money.{table}", msg)
        process: s.Process = carried["process"]
        for code in process.offices:
            if code not in offices:
                yield Problem(
                    self.name, f"{where}.process.offices", _unknown("窓口", code, offices)
                )
        return codes

    def _funding(self, where: str, layer: s.Funding, tiers: set[str], codes: set[str]):
        tables = {
            "amounts": layer.amounts,
            "percent": layer.percent,
            "copay_floor": layer.copay_floor,
            "copay_ceiling": layer.copay_ceiling,
            "per_additional_infant": layer.per_additional_infant
            if isinstance(layer.per_additional_infant, dict)
            else None,
        }
        for table_name, table in tables.items():
            for tier, row in (table or {}).items():
                if tier != "*" and tier not in tiers:
                    yield Problem(self.name, f"{where}.{table_name}", _unknown("区分", tier, tiers))
                if isinstance(row, dict):
                    for code in row:
                        if code != "*" and code not in codes:
                            msg = _unknown("サービス", code, codes)
                            yield Problem(self.name, f"{where}.{table_name}.{tier}", msg)
        for tier in layer.tiers or []:
            if tier not in tiers:
                yield Problem(self.name, f"{where}.tiers", _unknown("区分", tier, tiers))
        for code in layer.services or []:
            if code not in codes:
                yield Problem(self.name, f"{where}.services", _unknown("サービス", code, codes))

    def _unique(self, where: str, codes: list[str]):
        """Yield a problem per duplicate; return the set of codes."""
        seen: set[str] = set()
        for code in codes:
            if code in seen:
                yield Problem(self.name, where, f"{code} が重複しています")
            seen.add(code)
        return seen

    def _facilities(self, codes: set[str]) -> Iterator[Problem]:
        seen: set[str] = set()
        for i, facility in enumerate(self.document.facilities):
            if facility.id in seen:
                yield Problem(self.name, f"facilities.{i}.id", f"{facility.id} が重複しています")
            seen.add(facility.id)
            for code in facility.services:
                if codes and code not in codes:
                    msg = _unknown("サービス", code, codes)
                    yield Problem(self.name, f"facilities.{i}.services", msg)


def _unknown(kind: str, code: str, known: Iterable[str]) -> str:
    return f"{kind} {code!r} は定義されていません（定義済み: {', '.join(sorted(known))}）"


@dataclass
class Registry:
    """The programmes loaded from a set of directories, by municipality code.

    ``broken`` names each document that failed to load with its problems; ``stale`` holds the
    codes served from an earlier, good revision because their document is broken now.
    """

    programs: dict[str, Program] = field(default_factory=dict)
    broken: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    stale: set[str] = field(default_factory=set)

    def get(self, code: str) -> Program | None:
        return self.programs.get(code)

    def __iter__(self) -> Iterator[Program]:
        return iter(sorted(self.programs.values(), key=lambda p: p.code))


def load_registry(
    directories: Iterable[str | Path], *, strict: bool = True, previous: Registry | None = None
) -> Registry:
    """Load every ``*.yaml`` document below the given directories. All problems are collected.

    ``strict`` raises ``ProgramError`` with every problem. Otherwise (the web site, ``sango
    quote``) a broken document disables its municipality alone: it is listed in ``broken``, and
    the programme ``previous`` loaded from the same file, if any, keeps serving (``stale``).
    """
    registry = Registry()
    earlier = {p.path: p for p in previous.programs.values()} if previous else {}
    for directory in directories:
        for path in sorted(Path(directory).glob("*.yaml")):
            try:
                program = load_program(path)
            except ProgramError as exc:
                registry.broken[str(path)] = tuple(exc.problems)
                kept = earlier.get(str(path))
                if kept is not None and kept.code not in registry.programs:
                    registry.programs[kept.code] = kept
                    registry.stale.add(kept.code)
                continue
            if program.code in registry.programs:
                other = registry.programs[program.code].path
                problem = Problem(str(path), "municipality.code", f"{other} と重複しています")
                registry.broken[str(path)] = (problem,)
                continue
            registry.programs[program.code] = program
    if strict and registry.broken:
        raise ProgramError([p for problems in registry.broken.values() for p in problems])
    return registry
