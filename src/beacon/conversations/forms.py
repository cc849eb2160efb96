"""Conversation forms: scheduling (local times in the host's zone), answering, taking part,
host controls and the summary."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.utils import timezone

from beacon.conversations.enums import SLOW_MODE_CHOICES, Byline
from beacon.conversations.models import Lens
from beacon.conversations.services import MAX_ANSWER_LENGTH, MAX_QUESTIONS, QuestionInput


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return [("UTC", "UTC"), *((z, z.replace("_", " ")) for z in zones)]


def aware(value: datetime, zone: str) -> datetime:
    """Read a wall-clock time in `zone`; ValueError when it does not exist there (a DST gap)."""
    tz = ZoneInfo(zone)
    moment = value.replace(tzinfo=tz)
    # A time in a spring-forward gap does not survive a round trip through UTC.
    if moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != value:
        raise ValueError(value)
    return moment


class ScheduleForm(forms.Form):
    title = forms.CharField(label="Title", max_length=140)
    introduction = forms.CharField(
        label="Introduction",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the conversation is about and how it will run. You can use Markdown.",
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="The start and end below are in this time zone.",
    )
    starts_at = forms.DateTimeField(
        label="Starts",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    ends_at = forms.DateTimeField(
        label="Ends",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    slow_mode_seconds = forms.TypedChoiceField(
        label="Slow mode",
        choices=SLOW_MODE_CHOICES,
        coerce=int,
        initial=0,
        help_text="Limits how often each person can answer. You can change it while it runs.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        self.lenses = list(Lens.objects.filter(is_active=True))
        lens_choices = [(lens.slug, lens.name) for lens in self.lenses]
        for i in range(MAX_QUESTIONS):
            self.fields[f"question_{i}"] = forms.CharField(
                label=f"Question {i + 1}",
                max_length=300,
                required=i == 0,
                help_text="Leave empty to ask fewer questions." if i == 1 else "",
            )
            self.fields[f"lens_{i}"] = forms.ChoiceField(
                label=f"Lens of question {i + 1}", choices=lens_choices, required=False
            )
            if self.lenses:
                # Offered in turn (Self, Society, System, Self, ...) so a new conversation
                # looks through every lens unless the host chooses otherwise.
                self.fields[f"lens_{i}"].initial = self.lenses[i % len(self.lenses)].slug

    def question_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"question_{i}"], self[f"lens_{i}"]) for i in range(MAX_QUESTIONS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        zone = data.get("time_zone")
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if value is None or not zone:
                continue
            try:
                wall_clock = timezone.make_naive(value) if timezone.is_aware(value) else value
                data[name] = aware(wall_clock, zone)
            except ValueError:
                self.add_error(
                    name, f"That time does not exist in {zone} (the clocks change then)."
                )
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must be after the start.")
        by_slug = {lens.slug: lens for lens in self.lenses}
        questions = []
        for i in range(MAX_QUESTIONS):
            text = (data.get(f"question_{i}") or "").strip()
            if not text:
                continue
            lens = by_slug.get(data.get(f"lens_{i}") or "")
            if lens is None:
                self.add_error(f"lens_{i}", "Choose a lens for this question.")
                continue
            questions.append(QuestionInput(text=text, lens=lens))
        data["questions"] = questions
        return data


def initial_for(conversation: Any) -> dict[str, Any]:
    """The schedule form's initial values for an existing conversation (local times)."""
    tz = ZoneInfo(conversation.time_zone)
    initial = {
        "title": conversation.title,
        "introduction": conversation.introduction,
        "time_zone": conversation.time_zone,
        "starts_at": timezone.localtime(conversation.starts_at, tz).replace(tzinfo=None),
        "ends_at": timezone.localtime(conversation.ends_at, tz).replace(tzinfo=None),
        "slow_mode_seconds": conversation.slow_mode_seconds,
    }
    for i, question in enumerate(conversation.questions.select_related("lens")):
        initial[f"question_{i}"] = question.text
        initial[f"lens_{i}"] = question.lens.slug
    return initial


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        max_length=MAX_ANSWER_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write something before posting."},
    )


class ParticipationForm(forms.Form):
    byline = forms.ChoiceField(
        label="Post as",
        choices=Byline.choices,
        widget=forms.RadioSelect,
        initial="display_name",
        help_text="Used for the answers you post from now on.",
    )
    pen_name = forms.CharField(label="Pen name", max_length=60, required=False)
    include_in_transcript = forms.BooleanField(
        label="Include my answers in the transcript",
        required=False,
        help_text="After the conversation, the host can publish a transcript anyone can "
        "download. Only answers of people who tick this are in it. You can change your mind "
        "until it is published, and leave it at any time.",
    )


class SlowModeForm(forms.Form):
    seconds = forms.TypedChoiceField(label="Slow mode", choices=SLOW_MODE_CHOICES, coerce=int)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What came up, in your words, without quoting anyone who did not agree "
        "to the transcript. You can use Markdown.",
    )
