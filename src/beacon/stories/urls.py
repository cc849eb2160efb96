from django.urls import path

from beacon.stories.views import author, public

app_name = "stories"

urlpatterns = [
    path("", public.story_feed, name="feed"),
    path("feed.atom", public.LatestStoriesFeed(), name="atom"),
    path("heroes/", public.heroes, name="heroes"),
    path("reading-preferences/", public.preferences, name="preferences"),
    path("write/", author.write, name="write"),
    path("write/autosave/", author.autosave, name="autosave"),
    path("write/assistant/", author.assist, name="assist"),
    path("mine/", author.mine, name="mine"),
    path("consent/<str:token>/", public.consent, name="consent"),
    path("<str:code>/", public.detail, name="detail"),
    path("<str:code>/edit/", author.write, name="edit"),
    path("<str:code>/withdraw/", author.withdraw, name="withdraw"),
    path("<str:code>/delete/", author.delete, name="delete"),
    path("<str:code>/byline/", author.byline, name="byline"),
    path("<str:code>/story.md", author.export_markdown, name="export_md"),
    path("<str:code>/react/", public.react, name="react"),
    path("<str:code>/comment/", public.comment, name="comment"),
    path("<str:code>/report/", public.report, name="report"),
]
