"""Story forms. Nothing here is required at form level: a draft may be half-written, and
what a submission still needs is said by services.submission_problems."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator

from beacon.stories.enums import Byline, HeroCategory, HeroNaming, StoryKind, Theme
from beacon.stories.models import Story
from beacon_safety import CONTENT_WARNINGS


class StoryForm(forms.Form):
    title = forms.CharField(label="Title", max_length=140, required=False)
    body = forms.CharField(
        label="Your story",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "data-autosave": "body"}),
        help_text="Write in your own words. You can use Markdown: *italic*, **bold**, "
        "> quotes, and lists.",
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose at least one, so readers can find it.",
    )
    warnings = forms.MultipleChoiceField(
        label="Content warnings",
        choices=CONTENT_WARNINGS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Readers who find a topic hard can then choose to hide or blur it.",
    )
    byline = forms.ChoiceField(
        label="How should we name you?",
        choices=Byline.choices,
        initial=Byline.DISPLAY_NAME,
        widget=forms.RadioSelect,
        required=False,
    )
    pen_name = forms.CharField(label="Pen name", max_length=60, required=False)
    kind = forms.ChoiceField(choices=StoryKind.choices, widget=forms.HiddenInput, required=False)
    story_code = forms.CharField(widget=forms.HiddenInput, required=False)
    prompt_code = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        max_length=40,
        validators=[RegexValidator(r"^[a-z0-9-]*$")],
    )


class TributeForm(StoryForm):
    hero_category = forms.ChoiceField(
        label="Your hero is a…",
        required=False,
        choices=[("", "Choose a category"), *HeroCategory.choices],
    )
    hero_name = forms.CharField(
        label="Your hero's name",
        max_length=120,
        required=False,
        help_text="They choose how (and whether) their name is shown.",
    )
    hero_living = forms.TypedChoiceField(
        label="Is your hero alive?",
        coerce=lambda v: v == "yes",
        required=False,
        choices=[
            ("yes", "Yes — they will be asked to agree first"),
            ("no", "No — this is a tribute to someone who has died"),
        ],
        widget=forms.RadioSelect,
        initial="yes",
    )
    hero_email = forms.EmailField(
        label="Your hero's email address",
        required=False,
        help_text="We send them one message asking if they agree. It is deleted once they "
        "answer and never shown to anyone.",
    )
    posthumous_declaration = forms.BooleanField(
        label="I knew this person, and I believe their family would be comfortable with "
        "this tribute. It contains nothing they would not want shared.",
        required=False,
    )


def form_class_for(kind: str) -> type[StoryForm]:
    return TributeForm if kind == StoryKind.TRIBUTE else StoryForm


def initial_from_story(story: Story) -> dict[str, Any]:
    return {
        "title": story.title,
        "body": story.body,
        "themes": story.theme_slugs,
        "warnings": story.warning_slugs,
        "byline": story.byline,
        "pen_name": story.pen_name,
        "kind": story.kind,
        "story_code": story.code,
        "prompt_code": story.prompt_code,
        "hero_category": story.hero_category,
        "hero_name": story.hero_name,
        "hero_living": "yes" if story.hero_living else "no",
        "hero_email": story.hero_email,
        "posthumous_declaration": story.posthumous_declaration,
    }


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a supportive comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Comments are read by a moderator before they appear.",
    )


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(
        label="Do you agree to this tribute being published?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes, I agree"), ("no", "No, please don't publish it")],
    )
    naming = forms.ChoiceField(
        label="How should you be named?",
        choices=HeroNaming.choices,
        widget=forms.RadioSelect,
        initial=HeroNaming.FIRST,
        required=False,
    )


class BylineForm(forms.Form):
    byline = forms.ChoiceField(
        label="How should we name you?", choices=Byline.choices, widget=forms.RadioSelect
    )
    pen_name = forms.CharField(label="Pen name", max_length=60, required=False)
