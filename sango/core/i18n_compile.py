"""Compile gettext catalogues (.po → .mo) without GNU gettext.

Django's ``compilemessages`` needs the ``msgfmt`` program. The Makefile uses it when present and
falls back to this module otherwise (``python -m sango.core.i18n_compile [DIR ...]``), so that
``make test`` works on a machine without the gettext package. Like ``msgfmt``, fuzzy and
untranslated entries are left out of the .mo file.
"""

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import polib

import sango


def find_catalogs(roots: Iterable[Path]) -> list[Path]:
    """Return every ``*/LC_MESSAGES/*.po`` file under ``roots``, sorted."""
    found: set[Path] = set()
    for root in roots:
        found.update(root.rglob("LC_MESSAGES/*.po"))
    return sorted(found)


def compile_catalog(po_path: Path) -> Path:
    """Write the .mo file next to ``po_path`` and return its path."""
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path


def main(argv: Sequence[str] | None = None) -> int:
    """Compile every catalogue under the given directories (default: the ``sango`` package).

    Returns the process exit status: 0 on success, 1 if no catalogue was found.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    roots = [Path(arg) for arg in args] or [Path(sango.__file__).resolve().parent]
    catalogs = find_catalogs(roots)
    if not catalogs:
        print(f"No .po catalogues found under {', '.join(map(str, roots))}", file=sys.stderr)
        return 1
    for po_path in catalogs:
        print(f"Compiled {compile_catalog(po_path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
