"""Compile every app's .po catalogues to .mo with polib (no GNU gettext needed): `make messages`."""

from __future__ import annotations

from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent


def catalogues() -> list[Path]:
    """Return the .po files of every app of the package (each app keeps its own locale/)."""
    return sorted(PACKAGE.glob("*/locale/*/LC_MESSAGES/django.po"))


def main() -> None:
    """Write a .mo beside every .po."""
    for po_path in catalogues():
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(PACKAGE)}")


if __name__ == "__main__":
    main()
