"""Campaigns live under /campaigns/; the language guide at /words-matter/."""

from django.urls import path

from beacon.campaigns.views import manage, pledges, public, words

app_name = "campaigns"

urlpatterns = [
    path("words-matter/", words.words_matter, name="words_matter"),
    path("words-matter/check/", words.words_check, name="words_check"),
    path("campaigns/", public.campaign_list, name="list"),
    path("campaigns/new/", manage.campaign_new, name="new"),
    path("campaigns/toolkit/files/<str:code>/", public.toolkit_download, name="toolkit_file"),
    path("campaigns/toolkit/images/<str:code>/", public.toolkit_image, name="toolkit_image"),
    path("campaigns/pledges/<str:code>/", pledges.pledge_detail, name="pledge"),
    path("campaigns/pledges/<str:code>/count/", pledges.pledge_count, name="pledge_count"),
    path("campaigns/pledges/<str:code>/commit/", pledges.commit, name="commit"),
    path("campaigns/signatures/confirm/<str:token>/", pledges.confirm, name="confirm"),
    path("campaigns/unsubscribe/<str:token>/", pledges.unsubscribe, name="unsubscribe"),
    path("campaigns/commitments/<str:code>/", pledges.commitment_detail, name="commitment"),
    path("campaigns/commitments/<str:code>/check-in/", pledges.check_in, name="check_in"),
    path("campaigns/<str:code>/", public.campaign_detail, name="detail"),
    path("campaigns/<str:code>/manage/", manage.campaign_manage, name="manage"),
    path("campaigns/<str:code>/edit/", manage.campaign_edit, name="edit"),
    path("campaigns/<str:code>/state/", manage.campaign_state, name="state"),
    path("campaigns/<str:code>/toolkit/add/<str:what>/", manage.toolkit_add, name="toolkit_add"),
    path("campaigns/<str:code>/toolkit/remove/", manage.toolkit_remove, name="toolkit_remove"),
    path("campaigns/<str:code>/events/", manage.events, name="events"),
    path("campaigns/<str:code>/calls/new/", manage.call_form, name="call_new"),
    path("campaigns/<str:code>/calls/<str:call_code>/", manage.call_form, name="call_edit"),
    path("campaigns/<str:code>/pledges/new/", manage.pledge_form, name="pledge_new"),
    path(
        "campaigns/<str:code>/pledges/<str:pledge_code>/edit/",
        manage.pledge_form,
        name="pledge_edit",
    ),
]
