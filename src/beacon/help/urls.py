from django.urls import path

from beacon.help import views

app_name = "help"

urlpatterns = [
    path("", views.help_page, name="index"),
]
