"""The writer's side: write and edit with the assistant, autosave, submit, withdraw, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beacon.core.errors import DomainError
from beacon.stories import services
from beacon.stories.enums import Byline, StoryKind, StoryState
from beacon.stories.forms import BylineForm, form_class_for, initial_from_story
from beacon.stories.models import Story
from beacon.stories.personal_data import story_markdown
from beacon.stories.queries import stories_by
from beacon.stories.registry import find_prompt
from beacon.stories.views.common import STASH_KEY
from beacon_safety import assess as assess_text

STASHED_FIELDS = (
    "title",
    "body",
    "kind",
    "byline",
    "pen_name",
    "hero_category",
    "hero_name",
    "hero_living",
    "hero_email",
    "story_code",
    "prompt_code",
)


def _own_story(request: HttpRequest, code: str) -> Story:
    story = Story.objects.filter(code=code, author=request.user).first()
    if story is None:
        raise Http404("No such story of yours")
    return story


def _save_from_form(request: HttpRequest, form: Any, story: Story | None) -> Story:
    data = form.cleaned_data
    hero = None
    if data.get("kind") == StoryKind.TRIBUTE or (story and story.kind == StoryKind.TRIBUTE):
        hero = {
            "category": data.get("hero_category", ""),
            "name": data.get("hero_name", ""),
            "living": data.get("hero_living", True) is not False,
            "email": data.get("hero_email", ""),
            "posthumous_declaration": data.get("posthumous_declaration", False),
        }
    return services.save_draft(
        story,
        author=request.user,
        title=data.get("title", ""),
        body=data.get("body", ""),
        kind=data.get("kind") or (story.kind if story else StoryKind.RECOVERY),
        byline=data.get("byline") or Byline.DISPLAY_NAME,
        pen_name=data.get("pen_name", ""),
        themes=data.get("themes", []),
        warnings=data.get("warnings", []),
        hero=hero,
        prompt_code=data.get("prompt_code"),
    )


def _assistant_context(request: HttpRequest, text: str, byline: str) -> dict[str, Any]:
    result = assess_text(text, kind="story")
    passages = []
    for flag in result.safe_messaging:
        passages.append(
            {
                "text": text[flag.start : flag.end],
                "reason": flag.reason,
                "suggestion": flag.suggestion,
            }
        )
    words = [
        {"text": text[f.start : f.end], "alternatives": f.alternatives, "why": f.why}
        for f in result.language
    ]
    personal = (
        [{"text": text[f.start : f.end], "reason": f.reason} for f in result.personal_data]
        if byline != Byline.DISPLAY_NAME
        else []
    )
    return {
        "assist": {
            "risk": str(result.risk),
            "passages": passages,
            "words": words,
            "personal": personal,
            "warnings": list(result.content_warnings),
            "checked": True,
        }
    }


def _stash_and_login(request: HttpRequest) -> HttpResponse:
    """Signed out while writing (session expired): keep the text, then ask to sign in."""
    request.session[STASH_KEY] = {k: request.POST.get(k, "") for k in STASHED_FIELDS} | {
        "themes": request.POST.getlist("themes"),
        "warnings": request.POST.getlist("warnings"),
    }
    messages.info(request, "Your session ended, but your words are safe. Sign in to go on.")
    return redirect_to_login(request.path)


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Write a new story or edit one: save, 'check my story' (the assistant) or submit."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            return _stash_and_login(request)
        return redirect_to_login(request.get_full_path())
    story = _own_story(request, code) if code else None
    posted_code = request.POST.get("story_code", "")
    if story is None and posted_code:  # created by autosave a moment ago
        story = Story.objects.filter(code=posted_code, author=request.user).first()
    kind = (
        story.kind
        if story
        else request.POST.get("kind") or request.GET.get("kind") or StoryKind.RECOVERY
    )
    kind = kind if kind in StoryKind.values else StoryKind.RECOVERY
    form_class = form_class_for(kind)
    context: dict[str, Any] = {"story": story, "kind": kind, "problems": []}
    if request.method == "POST":
        form = form_class(request.POST)
        form.is_valid()  # nothing is required; invalid fields (an odd email) are just not kept
        story = _save_from_form(request, form, story)
        context["story"] = story
        posted_call = form.cleaned_data.get("prompt_code")
        if posted_call and posted_call != story.prompt_code:  # closed since the page opened
            messages.warning(
                request,
                "The call for stories you were answering is closed, so your story is saved "
                "without it. You can still submit it as a story of its own.",
            )
        action = request.POST.get("action", "save")
        if action == "submit":
            try:
                problems = services.submit_story(story, actor=request.user)
            except DomainError as error:
                problems = [error.message]
            if not problems:
                story.refresh_from_db()
                if story.state == StoryState.PUBLISHED:
                    messages.success(request, "Your story is published. Thank you for sharing.")
                else:
                    messages.success(
                        request,
                        "Sent for review. A moderator will read it soon; "
                        "you'll get an email when it's decided.",
                    )
                return redirect("stories:mine")
            context["problems"] = problems
        if action == "check" or story.risk == "crisis":
            context |= _assistant_context(
                request, services.story_text(story), form.cleaned_data.get("byline", "")
            )
        if action == "save":
            messages.success(request, f"Saved at {timezone.localtime():%H:%M}.")
        if not form.errors:  # with errors, the posted form is shown again as typed
            form = form_class(initial=initial_from_story(story))
    else:
        stash = request.session.pop(STASH_KEY, None)
        initial = initial_from_story(story) if story else {"kind": kind}
        if story is None and request.GET.get("call"):  # answering a call for stories
            _answer_call(request, request.GET["call"][:40], initial)
        if stash:
            initial |= {k: v for k, v in stash.items() if v}
            messages.info(request, "We kept what you had written. Check it and save.")
        form = form_class(initial=initial)
    context["form"] = form
    context["prompt"] = find_prompt(str(form["prompt_code"].value() or ""))
    return render(request, "stories/write.html", context)


def _answer_call(request: HttpRequest, code: str, initial: dict[str, Any]) -> None:
    """Start a story answering the call `code` if it is open; otherwise say why not."""
    prompt = find_prompt(code)
    if prompt is None:
        messages.warning(
            request,
            "We could not find that call for stories. You can still share your story; it "
            "will not be linked to a call.",
        )
    elif not prompt.is_open:
        messages.warning(
            request,
            f"The call for stories “{prompt.text}” is closed. You can still share your "
            "story; it will not be linked to the call.",
        )
    else:
        initial["prompt_code"] = prompt.code


@require_POST
def autosave(request: HttpRequest) -> HttpResponse:
    """Save the editor's content in the background (htmx); answers with a status line."""
    if not request.user.is_authenticated:
        return HttpResponse(
            '<span class="autosave-status warn">Not saved: you are signed out. Copy your text, '
            "then sign in.</span>",
            status=200,
        )
    code = request.POST.get("story_code", "")
    story = Story.objects.filter(code=code, author=request.user).first() if code else None
    kind = story.kind if story else request.POST.get("kind", StoryKind.RECOVERY)
    form = form_class_for(kind)(request.POST)
    form.is_valid()
    if story is None and not (form.cleaned_data.get("title") or form.cleaned_data.get("body")):
        return HttpResponse('<span class="autosave-status"></span>')
    story = _save_from_form(request, form, story)
    return render(
        request, "stories/_autosave_status.html", {"story": story, "saved_at": timezone.localtime()}
    )


@require_POST
def assist(request: HttpRequest) -> HttpResponse:
    """The live writing assistant (htmx): what the engine sees in the text being typed."""
    text = f"{request.POST.get('title', '')}\n\n{request.POST.get('body', '')}".strip()
    context = _assistant_context(request, text, request.POST.get("byline", ""))
    context["assist"]["checked"] = bool(text)  # nothing written yet: nothing to say
    context["chosen_warnings"] = request.POST.getlist("warnings")
    return render(request, "stories/_assistant.html", context)


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The author's stories with their state and the moderator's message."""
    return render(request, "stories/mine.html", {"stories": stories_by(request.user)})


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    story = _own_story(request, code)
    try:
        services.withdraw_story(story, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Withdrawn. It is no longer public or waiting for review; "
            "you can edit it and send it again.",
        )
    return redirect("stories:mine")


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, code: str) -> HttpResponse:
    story = _own_story(request, code)
    if request.method == "POST":
        services.delete_story(story, actor=request.user)
        messages.success(request, "Your story is deleted.")
        return redirect("stories:mine")
    return render(request, "stories/delete.html", {"story": story})


@login_required
@require_safe
def export_markdown(request: HttpRequest, code: str) -> HttpResponse:
    """The author's own copy of a story as a Markdown file."""
    story = _own_story(request, code)
    response = HttpResponse(story_markdown(story), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="story-{story.code}.md"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def byline(request: HttpRequest, code: str) -> HttpResponse:
    """Change the byline, also after publishing."""
    story = _own_story(request, code)
    form = BylineForm(
        request.POST or None, initial={"byline": story.byline, "pen_name": story.pen_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_byline(
                story,
                actor=request.user,
                byline=form.cleaned_data["byline"],
                pen_name=form.cleaned_data["pen_name"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Byline changed.")
            return redirect("stories:mine")
    return render(request, "stories/byline.html", {"story": story, "form": form})
