"""The rules core stands alone: importing all of it loads nothing from Django."""

import subprocess
import sys
from pathlib import Path

import sango.rules


def test_rules_core_imports_no_django() -> None:
    modules = sorted(
        f"sango.rules.{path.stem}"
        for path in Path(sango.rules.__file__).parent.glob("*.py")
        if path.stem != "__init__"
    )
    script = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in modules)
        + "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    # A fresh interpreter: in this one, pytest-django has already imported Django.
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    assert len(modules) >= 8
    assert output.strip() == "[]"
