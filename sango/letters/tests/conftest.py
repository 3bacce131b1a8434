"""Letters are read back as a clerk and a facility would: their text, their fonts, and the QR
code decoded from the printed page. Every PDF a test renders is also written to
``var/letters-check/`` for a person to look at."""

from __future__ import annotations

import pytest

from sango.core.tests import factories as f


@pytest.fixture(autouse=True)
def programmes(db) -> None:
    """総社市 and 熊本市 in the database (municipalities, offices, facilities, contracts)."""
    f.load_programmes()
