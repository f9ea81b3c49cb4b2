"""The portal speaks French and English: every string translated, the compiled catalogues current."""

from __future__ import annotations

import string
from pathlib import Path

import polib
import pytest

from unisupport.portal.compile_messages import catalogues

CATALOGUES = catalogues()


def test_every_app_with_strings_has_a_french_catalogue():
    apps = {path.parts[-5] for path in CATALOGUES}
    assert {"accounts", "catalog", "orders", "portal", "domain"} <= apps


def test_the_domains_catalogue_is_one_django_reads():
    """The domain is no app: its catalogue (refusals, ledger reasons) is named in LOCALE_PATHS."""
    from django.conf import settings
    from django.utils import translation

    assert Path(settings.LOCALE_PATHS[0]) == next(p for p in CATALOGUES if p.parts[-5] == "domain").parents[2]
    with translation.override("fr"):
        assert translation.gettext("redeem {cost}") == "échange de {cost} contre un service"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_translations_keep_the_fields_of_their_template(path):
    """A translation that loses or renames a {field} would fail when the portal formats it."""
    for entry in polib.pofile(str(path)).translated_entries():
        if "{" in entry.msgid:
            for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
                assert _fields(text) == _fields(entry.msgid), entry.msgid


def _fields(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return sorted(
        (name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None
    )


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


def test_the_interfaces_own_refusals_are_translated_like_the_services():
    """A refusal of the permissions or the selectors shows in French, never in English."""
    from django.utils import translation

    from unisupport.domain.errors import Forbidden, NotFound
    from unisupport.domain.messages import Message
    from unisupport.i18n import localized

    missing = NotFound(Message("no incident #{incident_id}", incident_id=7))
    vendor_only = Forbidden(Message("only the vendor's staff ask the customer for RCA documents"))
    assert (missing.message, vendor_only.message) == (
        "id: no incident #7",
        "actor: only the vendor's staff ask the customer for RCA documents",
    )
    with translation.override("fr"):
        assert localized(missing) == "aucun incident nº 7"
        assert (
            localized(vendor_only)
            == "seul le personnel du fournisseur demande des documents au client pour une RCA"
        )


def test_the_package_level_modules_texts_are_in_a_catalogue():
    """`make messages` extracts each app's texts into its own catalogue; the modules at the package's
    top (i18n.py) belong to none, so their texts are kept by hand: this fails when one is missing."""
    import re

    known = {e.msgid for path in CATALOGUES for e in polib.pofile(str(path))}
    top = Path(__file__).resolve().parents[2] / "src" / "unisupport"
    literals = [
        m.group(1)
        for module in top.glob("*.py")
        for m in re.finditer(r'\bn?gettext(?:_noop|_lazy)?\(\s*"([^"]+)"', module.read_text(encoding="utf-8"))
    ]
    assert literals
    assert [text for text in literals if text not in known] == []
