"""The portal's incident pages, under /incidents/."""

from django.urls import path

from unisupport.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.open_incident, name="open"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    path("sla/", views.attainment, name="attainment"),
    path("sla/export.csv", views.attainment_export, name="attainment_csv"),
]
