from django.urls import path

from beacon.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("duty/", views.duty, name="duty"),
    path("case/<str:code>/", views.case_detail, name="case"),
]
