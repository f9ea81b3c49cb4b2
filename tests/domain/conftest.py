"""The domain's tests run without Django (`pytest tests/domain -p no:django`, a step of `make test`).

The domain's docstring promises pure Python; this is the test of it. tests/conftest.py imports
Django only inside its fixtures; its one autouse fixture (which clears the site calendars cached
from the database) is replaced here by one that does nothing: the domain caches nothing.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_calendars() -> None:
    """Return nothing; the domain keeps no site calendars to forget (they live in the calendars app)."""
