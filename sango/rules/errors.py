"""Errors of the rules core: a document that does not validate, a request that cannot be read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in one place: the file, the dotted field path and what was expected."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class ProgramError(ValueError):
    """A programme document is invalid. ``problems`` lists every problem found, not just one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RequestError(ValueError):
    """A use request is malformed. ``field`` names the request field at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": "invalid", "message": self.message}
