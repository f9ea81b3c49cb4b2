"""A person's profile page: name, phone, language, time zone; their password; their API tokens.
And the password reset by e-mail (Django's signed, expiring links)."""

from __future__ import annotations

from zoneinfo import available_timezones

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from unisupport import clock
from unisupport.accounts.preferences import preferences_of
from unisupport.accounts.profile import create_token, revoke_token, tokens_of, update_profile
from unisupport.domain.errors import DomainError
from unisupport.i18n import cited

ZONES = sorted(available_timezones())


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Return the reader's profile; on POST, save it, create a token (its secret shown once) or revoke one."""
    assert isinstance(request.user, User)
    user, secret, errors = request.user, None, {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                prefs = update_profile(
                    user=user, first_name=request.POST.get("first_name", ""),
                    last_name=request.POST.get("last_name", ""), phone=request.POST.get("phone", ""),
                    language=request.POST.get("language", "en"), time_zone=request.POST.get("time_zone", ""),
                    at=clock.now(),
                )  # fmt: skip
                translation.activate(prefs.language)
                response = redirect("profile:profile")
                response.set_cookie("django_language", prefs.language, samesite="Lax")
                messages.success(request, _("Profile saved."))
                return response
            if action == "create-token":
                secret = create_token(user=user, name=request.POST.get("name", ""), at=clock.now())
            elif action == "revoke-token":
                revoke_token(user=user, token_id=int(request.POST.get("token") or 0), at=clock.now())
                messages.success(request, _("Token revoked: it no longer opens the API."))
                return redirect("profile:profile")
        except DomainError as exc:
            errors[exc.field or ""] = cited(exc)
    prefs = preferences_of(user)
    return render(
        request,
        "profile/profile.html",
        {"prefs": prefs, "zones": ZONES, "tokens": tokens_of(user), "secret": secret, "errors": errors,
         "posted": request.POST if errors else None},
    )  # fmt: skip


# Django's views, in the portal's look; a reset link is signed and expires (PASSWORD_RESET_TIMEOUT).
password_change = auth_views.PasswordChangeView.as_view(
    template_name="profile/password_change.html", success_url=reverse_lazy("profile:password-changed")
)
password_changed = auth_views.PasswordChangeDoneView.as_view(template_name="profile/password_changed.html")
password_reset = auth_views.PasswordResetView.as_view(
    template_name="profile/password_reset.html",
    email_template_name="profile/password_reset_email.txt",
    subject_template_name="profile/password_reset_subject.txt",
    success_url=reverse_lazy("profile:password-reset-sent"),
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="profile/password_reset_sent.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="profile/password_reset_confirm.html",
    success_url=reverse_lazy("profile:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetCompleteView.as_view(
    template_name="profile/password_reset_done.html"
)
