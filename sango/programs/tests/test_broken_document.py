"""One broken programme document disables its municipality alone, and loudly; the revision
loaded before from the same file keeps serving. It used to stop every municipality."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from sango.programs.checks import programme_documents_are_valid
from sango.programs.registry import get_registry
from sango.rules.program import default_program_dir

SOJA, KUMAMOTO = "332089", "431001"


@pytest.fixture
def documents(settings, tmp_path: Path):
    for name in ("332089-soja.yaml", "431001-kumamoto.yaml"):
        shutil.copy(default_program_dir() / name, tmp_path)
    settings.SANGO_PROGRAM_DIRS = [tmp_path]
    get_registry.cache_clear()
    yield tmp_path
    get_registry.cache_clear()


def _break(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("limit: 7", "limit: seven", 1), encoding="utf-8")


@pytest.mark.django_db
def test_the_good_document_serves_and_the_broken_one_is_unavailable(client, documents, caplog):
    broken = documents / "332089-soja.yaml"
    _break(broken)
    with caplog.at_level(logging.ERROR, logger="sango.programs.registry"):
        registry = get_registry()
    assert [p.code for p in registry] == [KUMAMOTO]
    [record] = caplog.records
    assert str(broken) in record.getMessage()
    assert "versions.1.caps.0.limit" in record.getMessage()

    listing = client.get("/programmes/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "熊本市" in html and "総社市" not in html
    assert client.get(f"/programmes/{KUMAMOTO}/").status_code == 200
    assert client.get(f"/programmes/{KUMAMOTO}/quote/").status_code == 200
    assert client.get(f"/programmes/{SOJA}/").status_code == 404
    assert client.get(f"/programmes/{SOJA}/quote/").status_code == 404

    [warning] = programme_documents_are_valid(None)
    assert warning.id == "sango.W001"
    assert str(broken) in warning.msg and "versions.1.caps.0.limit" in warning.msg


@pytest.mark.django_db
def test_the_last_good_revision_keeps_serving(client, documents, caplog):
    good = get_registry().get(SOJA)
    _break(documents / "332089-soja.yaml")
    get_registry.cache_clear()
    with caplog.at_level(logging.ERROR, logger="sango.programs.registry"):
        registry = get_registry()
    assert registry.get(SOJA) is good
    assert registry.stale == {SOJA}
    assert "keeps serving" in caplog.records[0].getMessage()
    assert client.get(f"/programmes/{SOJA}/").status_code == 200
