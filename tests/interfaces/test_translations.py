"""The portal speaks French and English: every string translated, the compiled catalogues current."""

from __future__ import annotations

import polib
import pytest

from unisupport.portal.compile_messages import catalogues

CATALOGUES = catalogues()


def test_every_app_with_strings_has_a_french_catalogue():
    apps = {path.parts[-5] for path in CATALOGUES}
    assert {"accounts", "catalog", "orders", "portal"} <= apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_string_has_a_french_translation(path):
    po = polib.pofile(str(path))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_the_compiled_catalogue_matches_the_po_file(path):
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))
    assert {e.msgid: e.msgstr for e in po.translated_entries()} == {
        e.msgid: e.msgstr for e in mo if e.msgid
    }, "run `make messages` to recompile the .mo files"


def test_the_french_portal_uses_the_glossary_terms():
    table = {e.msgid: e.msgstr for path in CATALOGUES for e in polib.pofile(str(path))}
    assert table["Host site"] == "Site Hôte"
    assert table["Downstream site"] == "Site Aval"
    assert table["Flexible allocation"] == "Allocation flexible"
    assert table["Support services administrator"] == "Administrateur des Services de Support"
