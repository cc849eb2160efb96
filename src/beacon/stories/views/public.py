"""What readers see: the feed, the heroes wall, a story, reactions, comments, reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beacon.core.errors import DomainError
from beacon.core.text import render_markdown
from beacon.moderation.forms import ReportForm
from beacon.moderation.services import report_item
from beacon.stories import services
from beacon.stories.enums import HELP_WARNINGS, HeroCategory, ReactionKind, StoryKind, Theme
from beacon.stories.forms import CommentForm, ConsentForm
from beacon.stories.models import Comment, Reaction
from beacon.stories.queries import (
    access_story,
    feed,
    public_stories,
    published_comments,
    related_stories,
)
from beacon.stories.views.common import PREFS_COOKIE, encode_preferences, reader_preferences
from beacon_safety import CONTENT_WARNINGS

PAGE_SIZE = 20
COMMENTS_PER_PAGE = 50


@require_safe
def story_feed(request: HttpRequest) -> HttpResponse:
    """Published stories, newest first, with filters and the reader's warning choices."""
    kind = request.GET.get("kind", "")
    theme = request.GET.get("theme", "")
    hero = request.GET.get("hero", "")
    prefs = reader_preferences(request)
    hidden = frozenset(slug for slug, choice in prefs.items() if choice == "hide")
    stories = feed(
        kind=kind if kind in StoryKind.values else "",
        theme=theme if theme in Theme.values else "",
        hero_category=hero if hero in HeroCategory.values else "",
        hidden_warnings=hidden,
    )
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stories/feed.html",
        {
            "page": page,
            "kind": kind,
            "theme": theme,
            "hero": hero,
            "prefs": prefs,
            "kinds": StoryKind.choices,
            "themes": Theme.choices,
            "hero_categories": HeroCategory.choices,
            "hidden_count": len(hidden),
        },
    )


@require_safe
def heroes(request: HttpRequest) -> HttpResponse:
    """The heroes wall: published tributes by category."""
    tributes = list(feed(kind=StoryKind.TRIBUTE))
    wall = [
        (value, label, [t for t in tributes if t.hero_category == value])
        for value, label in HeroCategory.choices
    ]
    return render(
        request, "stories/heroes.html", {"wall": wall, "prefs": reader_preferences(request)}
    )


def _detail_context(request: HttpRequest, story) -> dict:  # type: ignore[no-untyped-def]
    mine: set[str] = set()
    if request.user.is_authenticated:
        mine = set(
            Reaction.objects.filter(story=story, user=request.user).values_list("kind", flat=True)
        )
    prefs = reader_preferences(request)
    warnings = story.warning_slugs
    return {
        "story": story,
        "body_html": render_markdown(story.body),
        "reactions": [
            (k, label, story.reaction_count(k), k in mine) for k, label in ReactionKind.choices
        ],
        "comments": Paginator(published_comments(story), COMMENTS_PER_PAGE).get_page(
            request.GET.get("comments")
        ),
        "comment_form": CommentForm(),
        "related": related_stories(story),
        "show_help": bool(HELP_WARNINGS & set(warnings)),
        "veiled": any(prefs.get(w) in ("blur", "hide") for w in warnings),
        "warning_labels": dict(CONTENT_WARNINGS),
        "canonical": request.build_absolute_uri(reverse("stories:detail", args=[story.code])),
    }


@require_safe
def detail(request: HttpRequest, code: str) -> HttpResponse:
    story = access_story(request.user, code)
    if story is None:
        raise Http404("No such story")
    return render(request, "stories/detail.html", _detail_context(request, story))


@login_required
@require_POST
def react(request: HttpRequest, code: str) -> HttpResponse:
    """Toggle a supportive reaction; htmx gets the reaction bar back, others a redirect."""
    story = access_story(request.user, code)
    if story is None:
        raise Http404("No such story")
    try:
        services.toggle_reaction(story, user=request.user, kind=request.POST.get("kind", ""))
    except DomainError as error:
        messages.error(request, error.message)
    if request.htmx:
        story.refresh_from_db()
        return render(request, "stories/_reactions.html", _detail_context(request, story))
    return redirect("stories:detail", code=code)


@login_required
@require_POST
def comment(request: HttpRequest, code: str) -> HttpResponse:
    """Add a comment (held for review). A crisis reading shows the writer help at once."""
    story = access_story(request.user, code)
    if story is None:
        raise Http404("No such story")
    form = CommentForm(request.POST)
    context = _detail_context(request, story)
    if form.is_valid():
        try:
            new = services.add_comment(story, author=request.user, body=form.cleaned_data["body"])
        except DomainError as error:
            form.add_error("body", error.message)
        else:
            if new.risk == "crisis":
                context["comment_crisis"] = True
                return render(request, "stories/detail.html", context)
            messages.success(
                request, "Thank you. Your comment will appear once a moderator has read it."
            )
            return redirect("stories:detail", code=code)
    context["comment_form"] = form
    return render(request, "stories/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, code: str) -> HttpResponse:
    """Report a story, or one of its comments (?comment=CODE), to the moderators."""
    story = access_story(request.user, code)
    if story is None:
        raise Http404("No such story")
    target = story
    comment_code = request.GET.get("comment") or request.POST.get("comment")
    if comment_code:
        target = Comment.objects.filter(code=comment_code, story=story).first()
        if target is None:
            raise Http404("No such comment")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_item(
                target,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, "Thank you for telling us. A moderator will look at it.")
        return redirect("stories:detail", code=code)
    return render(
        request,
        "stories/report.html",
        {"story": story, "form": form, "comment_code": comment_code or ""},
    )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Choose, per topic, to show, blur (click to reveal) or hide warned stories."""
    current = reader_preferences(request)
    if request.method == "POST":
        wanted = {slug: request.POST.get(f"cw-{slug}", "show") for slug, _ in CONTENT_WARNINGS}
        clean = services.set_warning_preferences(request.user, wanted)
        response = redirect(request.POST.get("next") or "stories:feed")
        if not request.user.is_authenticated:
            response.set_cookie(
                PREFS_COOKIE,
                encode_preferences(clean),
                max_age=60 * 60 * 24 * 365,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure(),
            )
        messages.success(request, "Your reading preferences are saved.")
        return response
    rows = [(slug, label, current.get(slug, "show")) for slug, label in CONTENT_WARNINGS]
    return render(request, "stories/preferences.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, token: str) -> HttpResponse:
    """The hero's page: read the tribute, agree (choosing how to be named) or decline."""
    try:
        story = services.story_for_consent_token(token)
    except DomainError as error:
        return render(request, "stories/consent.html", {"error": error.message}, status=400)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_hero_consent(
                story,
                accept=form.cleaned_data["answer"] == "yes",
                naming=form.cleaned_data["naming"],
            )
        except DomainError as error:
            return render(request, "stories/consent.html", {"error": error.message})
        return render(
            request,
            "stories/consent.html",
            {"done": True, "story": story, "accepted": form.cleaned_data["answer"] == "yes"},
        )
    return render(
        request,
        "stories/consent.html",
        {
            "story": story,
            "form": form,
            "body_html": render_markdown(story.body),
            "answered": story.hero_consent not in ("pending",),
        },
    )


class LatestStoriesFeed(Feed):
    """Atom feed of the newest public stories (no warned topics are hidden: readers choose)."""

    feed_type = Atom1Feed
    title = "Beacon stories"
    subtitle = "Recovery stories and tributes shared by our community"

    def link(self) -> str:
        return reverse("stories:feed")

    def items(self):  # type: ignore[no-untyped-def]
        return (
            public_stories()
            .select_related("author")
            .prefetch_related("warnings")
            .order_by("-published_at")[:30]
        )

    def item_title(self, item) -> str:  # type: ignore[no-untyped-def]
        return item.title

    def item_description(self, item) -> str:  # type: ignore[no-untyped-def]
        warnings = item.warning_slugs
        prefix = f"Content warning: {', '.join(warnings)}. " if warnings else ""
        return prefix + str(render_markdown(item.body))

    def item_author_name(self, item) -> str:  # type: ignore[no-untyped-def]
        return item.byline_name

    def item_pubdate(self, item):  # type: ignore[no-untyped-def]
        return item.published_at

    def item_link(self, item) -> str:  # type: ignore[no-untyped-def]
        return reverse("stories:detail", args=[item.code])
