from django.urls import path

from beacon.directory.views import curate, public

app_name = "directory"

urlpatterns = [
    path("", public.search_page, name="search"),
    path("services/<uuid:service_id>/", public.service_page, name="service"),
    path("services/<uuid:service_id>/report/", public.report_page, name="report"),
    path("curate/", curate.queue, name="curate"),
    path("curate/services/<uuid:service_id>/", curate.edit_service, name="curate_service"),
    path("curate/services/<uuid:service_id>/verify/", curate.verify, name="verify"),
    path("curate/reports/<int:report_id>/resolve/", curate.resolve, name="resolve_report"),
]
