from django.urls import path

from beacon.events.views import manage, mine, public

app_name = "events"

urlpatterns = [
    path("", public.index, name="index"),
    path("near/", public.near, name="near"),
    path("mine/", mine.mine, name="mine"),
    path("mine/calendar/", mine.calendar_token, name="calendar_token"),
    path("feeds/me/<str:token>.ics", mine.personal_feed, name="personal_feed"),
    path("feeds/initiative/<str:code>.ics", public.initiative_ics, name="initiative_ics"),
    path("manage/<str:code>/", manage.manage, name="manage"),
    path("manage/<str:code>/new/", manage.create, name="create"),
    path("rsvp/<str:token>/confirm/", public.rsvp_confirm, name="rsvp_confirm"),
    path("rsvp/<str:token>/cancel/", public.rsvp_cancel, name="rsvp_cancel"),
    path("rsvp/<str:token>/still-coming/", public.rsvp_still, name="rsvp_still"),
    path("series/<str:code>/", public.series, name="series"),
    path("series/<str:code>/calendar.ics", public.series_ics, name="series_ics"),
    path("series/<str:code>/edit/", manage.edit, name="edit"),
    path("series/<str:code>/skip/", manage.skip, name="skip"),
    path("series/<str:code>/cancel/", manage.cancel_whole_series, name="cancel_series"),
    path("<str:code>/", public.occurrence, name="occurrence"),
    path("<str:code>/calendar.ics", public.occurrence_ics, name="occurrence_ics"),
    path("<str:code>/rsvp/", public.rsvp, name="rsvp"),
    path("<str:code>/cancel-my-answer/", public.cancel_mine, name="cancel_mine"),
    path("<str:code>/change/", manage.change, name="change"),
    path("<str:code>/cancel/", manage.cancel, name="cancel"),
    path("<str:code>/reinstate/", manage.reinstate, name="reinstate"),
    path("<str:code>/attendees/", manage.attendee_list, name="attendees"),
]
