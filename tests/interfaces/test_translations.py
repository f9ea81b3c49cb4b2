"""The portal speaks French and English: every string translated, the compiled catalogue current."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "src" / "unisupport" / "locale"


def test_every_portal_string_has_a_french_translation():
    po = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.mo"))
    assert {e.msgid: e.msgstr for e in po.translated_entries()} == {e.msgid: e.msgstr for e in mo if e.msgid}, (
        "run `make messages` to recompile django.mo"
    )


def test_the_french_portal_uses_the_glossary_terms():
    po = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    table = {e.msgid: e.msgstr for e in po}
    assert table["Host site"] == "Site Hôte"
    assert table["Downstream site"] == "Site Aval"
    assert table["Flexible allocation"] == "Allocation flexible"
    assert table["Support services administrator"] == "Administrateur des Services de Support"
