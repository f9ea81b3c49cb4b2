"""URLs: the portal at /, the API at /api/, the back office at /admin/, language switch at /i18n/,
health at /health/live and /health/ready."""

from django.contrib import admin
from django.urls import include, path

from unisupport.api.urls import api
from unisupport.ops import views as health
from unisupport.portal import urls as portal
from unisupport.portal.views.feeds import delivery_feed

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("incidents/", include((portal.incident_urlpatterns, "incidents"))),
    path("deliveries.ics", delivery_feed, name="delivery-feed"),
    path("deliveries/", include((portal.delivery_urlpatterns, "deliveries"))),
    path("events/", include((portal.event_urlpatterns, "events"))),
    path("", include((portal.ledger_urlpatterns, "ledger"))),
    path("", include((portal.programme_urlpatterns, "programmes"))),
    path("", include((portal.contact_urlpatterns, "contacts"))),
    path("", include((portal.plan_urlpatterns, "plans"))),
    path("", include((portal.review_urlpatterns, "reviews"))),
    path("", include((portal.preference_urlpatterns, "preferences"))),
    path("", include((portal.profile_urlpatterns, "profile"))),
    path("", include((portal.team_urlpatterns, "team"))),
    path("back-office/", include((portal.back_office_urlpatterns, "back_office"))),
    path("", include("unisupport.portal.urls")),
]
