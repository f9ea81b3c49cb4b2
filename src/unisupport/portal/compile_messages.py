"""Compile the portal's .po catalogues to .mo with polib (no GNU gettext needed): `make messages`."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def main() -> None:
    """Write a .mo beside every .po under the locale folder."""
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(LOCALE.parent)}")


if __name__ == "__main__":
    main()
