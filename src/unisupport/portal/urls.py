"""The portal's pages: its own at /, the incidents' under /incidents/, the ledger's consumption pages.

Each part keeps its URL namespace ("portal", "incidents", "ledger"), so every name in use stays as it was.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from unisupport.portal.views import (
    back_office,
    catalog,
    contacts,
    conversation,
    deliverables,
    deliveries,
    diagnostics,
    events,
    incident_queue,
    incidents,
    ledger,
    orders,
    plans,
    preferences,
    profile,
    programmes,
    reviews,
    site_calendar,
    team,
)

app_name = "portal"

urlpatterns = [
    path("", orders.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("agreements/<str:code>/", orders.agreement, name="agreement"),
    path("orders/<str:number>/", orders.order, name="order"),
    path("orders/<str:number>/calendars/", site_calendar.site_calendars, name="site-calendars"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("rules/", catalog.rules, name="rules"),
]

incident_urlpatterns = [
    path("", incident_queue.incident_list, name="list"),
    path("new/", incidents.open_incident, name="open"),
    path("<int:pk>/", incidents.incident_detail, name="detail"),
    path("<int:pk>/diagnostics/", diagnostics.ask, name="diagnostics-ask"),
    path("<int:pk>/comments/", conversation.comment, name="comment"),
    path("<int:pk>/files/", conversation.attach, name="attach"),
    path("<int:pk>/files/<int:n>/", conversation.download, name="file"),
    path("<int:pk>/diagnostics/<int:request_id>/", diagnostics.provided, name="diagnostics-provided"),
    path("<int:pk>/<slug:action>/", incidents.act, name="act"),
    path("sla/", incidents.attainment, name="attainment"),
    path("sla/export.csv", incidents.attainment_export, name="attainment_csv"),
]

ledger_urlpatterns = [
    path("consumption/", ledger.index, name="index"),
    path("orders/<str:number>/consumption/", ledger.consumption, name="consumption"),
]

delivery_urlpatterns = [
    path("", deliveries.delivery_list, name="list"),
    path("new/", deliveries.request_delivery, name="new"),
    path("week/", deliveries.week, name="week"),
    path("calendar/", deliveries.calendar, name="calendar"),
    path("<int:pk>/", deliveries.delivery_detail, name="detail"),
    path("<int:pk>/files/<int:n>/", deliverables.download, name="file"),
    path("<int:pk>/attach/", deliverables.attach, name="attach"),
    path("<int:pk>/terms/", deliverables.terms, name="terms"),
    path("<int:pk>/below-minimum/", deliverables.below_minimum, name="below-minimum"),
    path("<int:pk>/<slug:action>/", deliveries.act, name="act"),
]

event_urlpatterns = [
    path("", events.event_list, name="list"),
    path("new/", events.book, name="new"),
    path("<int:pk>/", events.detail, name="detail"),
    path("<int:pk>/<slug:action>/", events.act, name="act"),
]

programme_urlpatterns = [
    path("programmes/late/", programmes.late, name="late"),
    path("orders/<str:number>/programme/", programmes.programme, name="programme"),
    path("orders/<str:number>/programme/sip/", programmes.request_sip, name="sip"),
    path("orders/<str:number>/programme/<int:pk>/evidence/", programmes.evidence, name="evidence"),
    path("orders/<str:number>/programme/<int:pk>/<slug:action>/", programmes.act, name="act"),
]

contact_urlpatterns = [
    path("orders/<str:number>/contacts/", contacts.contacts, name="contacts"),
    path("orders/<str:number>/contacts/<slug:action>/", contacts.contact_act, name="act"),
    path("webhooks/", contacts.webhooks, name="webhooks"),
    path("webhooks/<slug:action>/", contacts.webhook_act, name="webhook-act"),
    path("webhooks/<slug:action>/<int:pk>/", contacts.webhook_act, name="webhook-act"),
]

plan_urlpatterns = [
    path("agreements/<str:code>/plan/", plans.plan, name="plan"),
    path("agreements/<str:code>/plan/<slug:action>/", plans.act, name="act"),
]

review_urlpatterns = [
    path("orders/<str:number>/review/<str:month>/", reviews.review, name="review"),
    path("portfolio/", reviews.portfolio_page, name="portfolio"),
]

preference_urlpatterns = [
    path("preferences/", preferences.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", preferences.one_click, name="unsubscribe"),
]

profile_urlpatterns = [
    path("profile/", profile.profile, name="profile"),
    path("profile/password/", profile.password_change, name="password-change"),
    path("profile/password/changed/", profile.password_changed, name="password-changed"),
    path("password-reset/", profile.password_reset, name="password-reset"),
    path("password-reset/sent/", profile.password_reset_sent, name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", profile.password_reset_confirm, name="password-reset-confirm"),
    path("password-reset/done/", profile.password_reset_done, name="password-reset-done"),
]

team_urlpatterns = [
    path("team/", team.team, name="team"),
    path("team/<slug:action>/", team.team_act, name="act"),
    path("invite/<str:token>/", team.accept, name="accept"),
]

back_office_urlpatterns = [
    path("", back_office.index, name="index"),
    path("import/", back_office.import_order, name="import"),
    path("import/confirm/", back_office.confirm_import, name="confirm-import"),
    path("lines/", back_office.lines, name="lines"),
    path("lines/<int:pk>/", back_office.decide, name="decide"),
    path("agreements/<str:code>/csam/", back_office.csam, name="csam"),
    path("rosters/", back_office.rosters, name="rosters"),
    path("closures/", back_office.closures, name="closures"),
    path("people/", back_office.people, name="people"),
]
