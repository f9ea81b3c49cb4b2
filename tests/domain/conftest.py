"""The domain's tests run without Django (`pytest tests/domain -p no:django`, a step of `make test`).

The domain's docstring promises pure Python; this is the test of it. tests/conftest.py imports
Django only inside its fixtures; its autouse fixtures (which clear the process caches built from
the database, and make password hashing fast) are replaced here by ones that do nothing.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    """Return nothing; the domain keeps nothing read from the database to forget (the apps do)."""


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    """Return nothing; the domain hashes no password (tests/conftest.py's would import Django)."""
