"""The programme format's documentation stands on its own: every file it names is in the
repository (it used to point to RULES-LANDSCAPE.md and the glossary, kept outside it)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "programme-format.md"
FILE = re.compile(r"[\w./-]+\.(?:md|yaml|py|json)\b")


def test_every_file_the_format_names_is_in_the_repository() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = {m for m in FILE.findall(text) if "/" in m or m.endswith(".md")}
    assert named, "the page names the example documents"
    missing = []
    for name in sorted(named):
        candidates = [ROOT / name, DOC.parent / name, ROOT / "sango" / "rules" / "tests" / name]
        if not any(path.exists() for path in candidates):
            missing.append(name)
    assert missing == []


def test_no_reference_outside_the_repository() -> None:
    text = DOC.read_text(encoding="utf-8")
    for outside in ("RULES-LANDSCAPE", "GLOSSARY.md", "shared/"):
        assert outside not in text
