"""Read settings from environment variables.

Every function reads ``os.environ`` at call time, so settings modules see the environment of
the process that imports them. Invalid values raise ``ImproperlyConfigured`` naming the
variable, rather than silently falling back to a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def env_str(name: str, default: str = "") -> str:
    """Return the variable's value, or ``default`` when it is unset."""
    return os.environ.get(name, default)


def env_required(name: str, hint: str) -> str:
    """Return the variable's value; raise ``ImproperlyConfigured`` with ``hint`` if unset/empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set. {hint}")
    return value


def env_bool(name: str, default: bool) -> bool:
    """Return the variable as a boolean: 1/true/yes/on or 0/false/no/off (case-insensitive)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use 1/true/yes/on or 0/false/no/off."
    )


def env_int(name: str, default: int) -> int:
    """Return the variable as an integer, or ``default`` when it is unset or empty."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_list(name: str, default: list[str], separator: str = ",") -> list[str]:
    """Return the variable split on ``separator`` with blanks dropped, or ``default`` if unset."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(separator) if item.strip()]
