from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Beacon administration"
admin.site.site_title = "Beacon admin"

urlpatterns = [
    path("", include("beacon.core.urls")),
    path("help/", include("beacon.help.urls")),
    path("accounts/", include("beacon.accounts.urls")),
    path("stories/", include("beacon.stories.urls")),
    path("moderation/", include("beacon.moderation.urls")),
    path("initiatives/", include("beacon.initiatives.urls")),
    path("conversations/", include("beacon.conversations.urls")),
    path("events/", include("beacon.events.urls")),
    path("", include("beacon.campaigns.urls")),  # /campaigns/… and /words-matter/
    path("directory/", include("beacon.directory.urls")),
    path("api/hsds/", include("beacon.directory.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "beacon.core.views.bad_request"
handler403 = "beacon.core.views.permission_denied"
handler404 = "beacon.core.views.page_not_found"
handler500 = "beacon.core.views.server_error"
