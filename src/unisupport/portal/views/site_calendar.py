"""A customer's site calendars on their order: business hours, public holidays and closures over the term (SEV-7).

The same calendars the response clocks run on (``calendars.selectors.calendar_for_site``, the back
office's closures included), one per site of the order's current version.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dates import WEEKDAYS

from unisupport import clock
from unisupport.accounts.scope import scope_of
from unisupport.calendars.selectors import calendar_for_site, days_off
from unisupport.domain.calendar import holiday_names_language
from unisupport.orders.models import Order, OrderVersion
from unisupport.orders.selectors import order_for, term_of, version_of
from unisupport.portal.views.common import reader_language


@login_required
def site_calendars(request: HttpRequest, number: str) -> HttpResponse:
    """Return each site's business hours, and its days off (public holidays, closures) within the order's term."""
    scope = scope_of(request.user)
    try:
        order = order_for(scope, number=number)
        version = version_of(order)
    except (Order.DoesNotExist, OrderVersion.DoesNotExist):
        raise Http404("no such order") from None
    sites = []
    for site in version.sites.all():
        calendar = calendar_for_site(country=site.country, timezone=site.timezone or None)
        off = [
            d
            for year in range(version.start.year, version.end.year + 1)
            for d in days_off(calendar=calendar, year=year, language=reader_language())
            if version.start <= d.day <= version.end
        ]
        sites.append(
            {
                "site": site,
                "timezone": calendar.timezone,
                "hours": [(WEEKDAYS[day], *calendar.hours_on(day)) for day in sorted(calendar.weekdays)],
                "days_off": off,
                # Where the holidays package has no name in the reader's language, the English one
                # is marked as such (lang), for screen readers.
                "holiday_lang": holiday_names_language(site.country, reader_language()),
                "extra": [d for d in calendar.extra_working_days if version.start <= d <= version.end],
            }
        )
    context = {"order": order, "version": version, "term": term_of(version, at=clock.now()), "sites": sites}
    return render(request, "portal/site_calendars.html", context)
