"""Complete French: sign in as each persona in French, follow every internal link from the home page
(GET only, bounded), and fail on any English text of the interface — visible text, title, aria-label,
placeholder and option texts — outside the checked allow-list (french_allowlist.py). The report
names the page and the words."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from tests.conftest import _person
from tests.incident_support import contoso_incident
from tests.interfaces.french_allowlist import ALLOWED, ENGLISH_WORDS, KNOWN_GAPS
from tests.interfaces.portal_support import signed_in

PAGES_PER_PERSON = 120
# Not pages: downloads, the API, the admin (checked apart), signing out, and pages that change state on GET.
SKIPPED = re.compile(r"^/(api/|admin/|static/|logout/)|\.(csv|pdf|ics)$|/files/|format=csv|/unsubscribe/")


class _Text(HTMLParser):
    """Collect a page's readable text: what is shown, and the attributes a screen reader reads."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._quoted: list[str] = []  # elements marked in another language (lang="en"): names, quotes

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "code", "pre"):
            self._hidden += 1
        # Text marked in another language (lang="en") or as not to be translated (codes: translate="no").
        foreign = bool(values.get("lang")) and not str(values["lang"]).startswith("fr")
        if tag != "html" and (foreign or values.get("translate") == "no"):
            self._quoted.append(tag)
            self._hidden += 1
        for name in ("title", "aria-label", "placeholder", "alt"):
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "pre") and self._hidden:
            self._hidden -= 1
        if self._quoted and self._quoted[-1] == tag:
            self._quoted.pop()
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


READ: list[str] = []  # every page read, to check the crawl went far
USED: set[str] = set()  # the allowed phrases met: each must be, or its entry is stale


def _english(text: str) -> list[str]:
    for phrase, _why in ALLOWED:
        if phrase in text:
            USED.add(phrase)
            text = text.replace(phrase, " ")
    words = re.findall(r"[^\W\d_]+", text)
    return [w for w in words if w.lower() in ENGLISH_WORDS and not w.isupper()]


def _crawl(client, start: list[str]) -> dict[str, list[str]]:
    """Return {page: the English snippets found there} over the pages reachable from ``start``."""
    seen, queue, found = set(start), deque(start), {}
    shapes: set[str] = set()
    while queue and len(seen) <= PAGES_PER_PERSON:
        url = queue.popleft()
        response = client.get(url)
        READ.append(url)
        if response.status_code not in (200, 403, 404) or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        bad = [part for part in parser.parts if _english(part)]
        if bad:
            found[url] = bad[:8]
        for href in parser.links:
            link = urldefrag(href)[0]
            if not link.startswith("/") or link.startswith("//") or SKIPPED.search(link):
                continue
            path = urlsplit(link).path + (f"?{urlsplit(link).query}" if urlsplit(link).query else "")
            shape = re.sub(r"\d+", "N", path)  # one page of each shape: a month's review, an incident …
            if path not in seen and shape not in shapes:
                seen.add(path)
                shapes.add(shape)
                queue.append(path)
    return found


def test_every_page_reachable_in_french_is_in_french(demo_orders):
    people = {
        "alice": _person("alice", "customer-admin", "Contoso SA"),
        "dave": _person("dave", "reactive-contact", "Contoso SA"),
        "bob": _person("bob", "csam", None),
        "erin": _person("erin", "support-engineer", None),
        "olivia": _person("olivia", "back-office", None),
    }
    incident = contoso_incident(title="Messagerie indisponible")
    found: dict[str, list[str]] = {}
    for name, person in people.items():
        for url, texts in _crawl(signed_in(person, "fr"), ["/", "/rules/", "/catalog/"]).items():
            found[f"{name} {url}"] = texts
    anonymous = _crawl(signed_in_anonymous_french(), ["/login/", "/nowhere/"])
    found |= {f"anonymous {u}": t for u, t in anonymous.items()}
    assert len(READ) > 100, READ  # the crawl reached the pages, not only the start
    assert {f"/incidents/{incident.pk}/", "/deliveries/", "/back-office/"} <= set(READ)
    gaps = {page for page in found if page.split(" ", 1)[1] in KNOWN_GAPS}
    unexpected = {page: texts for page, texts in found.items() if page not in gaps}
    report = "\n".join(f"{page}: {texts}" for page, texts in sorted(unexpected.items()))
    assert not unexpected, f"English on {len(unexpected)} French pages:\n{report}"
    assert {page.split(" ", 1)[1] for page in gaps} == set(KNOWN_GAPS), "a known gap is French now: remove it"
    assert {phrase for phrase, _ in ALLOWED} <= USED, "an allowed phrase is met nowhere: remove it"


def signed_in_anonymous_french():
    """Return a test client reading in French without signing in."""
    from django.test import Client

    client = Client()
    client.cookies["django_language"] = "fr"
    return client
