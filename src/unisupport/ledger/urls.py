from django.urls import path

from unisupport.ledger import views

app_name = "ledger"

urlpatterns = [
    path("consumption/", views.index, name="index"),
    path("orders/<str:number>/consumption/", views.consumption, name="consumption"),
]
