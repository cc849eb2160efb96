from django.urls import path

from beacon.directory.api import views

app_name = "directory_api"

urlpatterns = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi, name="openapi"),
    path("services", views.services, name="services"),
    path("services/<uuid:pk>", views.service_detail, name="service"),
    path("organizations", views.organization_list, name="organizations"),
    path("organizations/<uuid:pk>", views.organization_detail, name="organization"),
    path("taxonomies", views.taxonomy_list, name="taxonomies"),
    path("taxonomy_terms", views.taxonomy_term_list, name="taxonomy_terms"),
    path("service_at_locations", views.service_at_location_list, name="service_at_locations"),
]
