"""Every add page of the Django admin labels each of its fields (issue 15 §3): a <label for> per input."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

FIELD = re.compile(r"<(input|select|textarea)\b[^>]*>", re.S)


def _unlabelled(page: str) -> list[str]:
    """Return the ids of the visible form fields of ``page`` that no <label for> names."""
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    missing = []
    for tag in FIELD.finditer(page):
        text = tag.group(0)
        if re.search(r'type="(hidden|submit|button)"', text):
            continue
        found = re.search(r'\bid="([^"]+)"', text)
        if found is None or "__prefix__" in found.group(1) or found.group(1) == "searchbar":
            continue
        if found.group(1) not in labelled and "aria-label" not in text:
            missing.append(found.group(1))
    return missing


def test_every_admin_add_page_labels_its_fields(catalog_db):
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    problems = {}
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
        response = client.get(url)
        if response.status_code != 200:  # some records are never added by hand (tokens, ledger entries)
            continue
        missing = _unlabelled(response.content.decode())
        if missing:
            problems[url] = missing
    assert problems == {}
