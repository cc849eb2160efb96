from django.urls import path

from beacon.conversations.views import host, live, participant, public

app_name = "conversations"

urlpatterns = [
    path("", public.index, name="index"),
    path("schedule/", host.schedule, name="schedule"),
    path("<str:code>/", participant.detail, name="detail"),
    path("<str:code>/updates/", live.updates, name="updates"),
    path("<str:code>/stream/", live.stream, name="stream"),
    path("<str:code>/questions/<int:number>/answer/", participant.answer, name="answer"),
    path("<str:code>/taking-part/", participant.participation, name="participation"),
    path("<str:code>/answers/<str:answer_code>/reply/", participant.reply, name="reply"),
    path("<str:code>/answers/<str:answer_code>/react/", participant.react, name="react"),
    path("<str:code>/answers/<str:answer_code>/report/", participant.report, name="report"),
    path("<str:code>/answers/<str:answer_code>/pin/", host.pin, name="pin"),
    path("<str:code>/answers/<str:answer_code>/hide/", host.hide, name="hide"),
    path("<str:code>/edit/", host.edit, name="edit"),
    path("<str:code>/slow-mode/", host.slow_mode, name="slow_mode"),
    path("<str:code>/close/", host.close, name="close"),
    path("<str:code>/summary/", host.summary, name="summary"),
    path("<str:code>/transcript/publish/", host.publish_transcript, name="publish_transcript"),
    path("<str:code>/transcript.html", public.transcript, {"fmt": "html"}, name="transcript_html"),
    path("<str:code>/transcript.md", public.transcript, {"fmt": "md"}, name="transcript_md"),
]
