"""The admin in French (issue 15 §4): every list and add page the back office may open says its
titles, sections, field labels and help in French (the crawl's detector; product names allowed)."""

from __future__ import annotations

import re

from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import NoReverseMatch, reverse

from tests.interfaces.portal_support import signed_in
from tests.interfaces.test_french_crawl import _english, _Text

# What the admin shows of the records themselves is data, not labels: codes (states, units, service
# codes, account keys) and product names as the catalogue spells them; the filter sidebar lists the
# codes found in the records too (a filter by state offers "new", "closed" …).
RECORDS = re.compile(
    r'(?s)<table id="result_list">.*?</table>|<option[^>]*>.*?</option>|aria-label="[^"]*"'
    r'|<div class="readonly">.*?</div>|<nav id="changelist-filter".*?</nav>'
)
# Django's own texts it does not translate, each with why. (phrase, why)
DJANGO_OWN = [
    ("Search", "the alt text of the search icon in Django's admin/search_form.html, untranslated upstream"),
    ("Single Sign-On", "Django's French help text for a user's password quotes the English term"),
    (" | Can ", "permission names, generated in English by Django when the tables are made"),
]


def _without_records(html: str) -> str:
    return RECORDS.sub(" ", html)


def _allowed(part: str) -> bool:
    return any(phrase in part for phrase, _why in DJANGO_OWN) and part.strip() != ""


def _pages() -> list[str]:
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        for view in ("changelist", "add"):
            try:
                urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}"))
            except NoReverseMatch:
                continue
        del model_admin
    return urls


def test_every_admin_list_and_add_page_is_in_french(demo_orders):
    root = User.objects.create_superuser("root", "root@vendor.test", "correct horse battery staple")
    client = signed_in(root, "fr")
    english: dict[str, list[str]] = {}
    pages = _pages()
    assert len(pages) > 40
    for url in pages:
        response = client.get(url)
        if response.status_code == 403:  # read-only records: no add page, by design
            continue
        assert response.status_code == 200, url
        parser = _Text()
        parser.feed(_without_records(response.content.decode()))
        bad = [part for part in parser.parts if _english(part) and not _allowed(part)]
        if bad:
            english[url] = bad[:6]
    report = "\n".join(f"{url}: {texts}" for url, texts in sorted(english.items()))
    assert not english, f"English on {len(english)} French admin pages:\n{report}"
