from django.contrib.auth import views as auth_views
from django.urls import path

from unisupport.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("agreements/<str:code>/", views.agreement, name="agreement"),
    path("orders/<str:number>/", views.order, name="order"),
    path("catalog/", views.catalog, name="catalog"),
    path("rules/", views.rules, name="rules"),
]
