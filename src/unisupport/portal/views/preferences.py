"""A person's communication preferences (RSP-8) and the one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from unisupport import clock
from unisupport.accounts.preferences import OPTIONAL_KINDS, preferences_of, set_preferences, unsubscribe
from unisupport.domain.errors import DomainError
from unisupport.i18n import cited


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Return the reader's preferences; on POST, save them."""
    assert isinstance(request.user, User)
    if request.method == "POST":
        try:
            set_preferences(
                user=request.user,
                language=request.POST.get("language", "en"),
                product_emails=request.POST.get("product_emails") == "on",
                muted=[k for k in OPTIONAL_KINDS if request.POST.get(f"kind-{k}") != "on"],
                at=clock.now(),
            )
            messages.success(request, _("Preferences saved."))
        except DomainError as exc:
            messages.error(request, cited(exc))
        return redirect("preferences:preferences")
    prefs = preferences_of(request.user)
    kinds = [
        ("milestone-late", _("a programme milestone turned late"), "milestone-late" not in prefs.muted),
        ("monthly-review", _("the monthly service review"), "monthly-review" not in prefs.muted),
    ]
    return render(request, "preferences/preferences.html", {"prefs": prefs, "kinds": kinds})


# RFC 8058: a mail client posts "List-Unsubscribe=One-Click" to the link, without a session or a
# CSRF token; the link's secret token is the authority, and it can only opt out.
@csrf_exempt
def one_click(request: HttpRequest, token: str) -> HttpResponse:
    """Return the unsubscribe page; on POST (a person's click or a mail client's one-click), opt out."""
    if request.method == "POST":
        found = unsubscribe(token=token, at=clock.now())
        if found is None:
            raise Http404("unknown link")
        return render(request, "preferences/unsubscribed.html", {})
    from unisupport.accounts.models import Preferences

    if not Preferences.objects.filter(unsubscribe_token=token).exists():
        raise Http404("unknown link")
    return render(request, "preferences/unsubscribe.html", {"token": token})
