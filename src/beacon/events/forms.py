"""Forms of the events pages. Rules that need the database (facilitators, schedules) live
in services; views copy their refusals onto these forms so nothing typed is lost."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.utils import timezone

from beacon.accounts.models import User
from beacon.events.enums import EventFormat, EventKind, Recurrence
from beacon.events.models import EventSeries
from beacon.initiatives.enums import Audience, MembershipState
from beacon.initiatives.models import Initiative
from beacon.places.queries import resolve_place

COMMON_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "UTC",
]


def zone_choices() -> list[tuple[str, Any]]:
    others = sorted(z for z in available_timezones() if "/" in z and z not in COMMON_ZONES)
    return [
        ("Common", [(z, z.replace("_", " ")) for z in COMMON_ZONES]),
        ("All time zones", [(z, z.replace("_", " ")) for z in others]),
    ]


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class SeriesForm(forms.ModelForm):
    """Create or edit a series. `locate` (a town or US ZIP) sets the map point."""

    locate = forms.CharField(
        label="Town or ZIP code for the map and “near me” search",
        required=False,
        max_length=120,
        help_text="For example “Burns, OR” or 97201. Leave empty to keep the current point.",
    )

    class Meta:
        model = EventSeries
        fields = [
            "title",
            "kind",
            "description",
            "format",
            "place_name",
            "address",
            "online_url",
            "time_zone",
            "start_date",
            "start_time",
            "duration_minutes",
            "recurrence",
            "until",
            "count",
            "capacity",
            "audience",
            "facilitator",
            "confirm_day_before",
        ]
        labels = {
            "place_name": "Place (venue or town)",
            "address": "Street address",
            "online_url": "Link to join online",
            "time_zone": "Time zone",
            "start_date": "Date (the first date, if it repeats)",
            "start_time": "Start time (local)",
            "duration_minutes": "Length in minutes",
            "recurrence": "Repeats",
            "until": "Last date (optional)",
            "count": "Or: number of meetings (optional)",
            "capacity": "Places (leave empty for no limit)",
            "audience": "Mainly for (optional)",
            "confirm_day_before": "Ask people the day before whether they are still coming",
        }
        help_texts = {
            "description": "Markdown. Say what happens and how people are welcomed.",
            "online_url": "Only people with a confirmed place ever see it.",
            "facilitator": "Someone with a current facilitator training record.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "start_date": DateInput(),
            "until": DateInput(),
            "start_time": TimeInput(),
        }

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.fields["time_zone"] = forms.ChoiceField(
            label="Time zone", choices=zone_choices(), initial="America/Los_Angeles"
        )
        self.fields["kind"].choices = EventKind.choices
        self.fields["format"].choices = EventFormat.choices
        self.fields["recurrence"].choices = Recurrence.choices
        self.fields["audience"].choices = [("", "Everyone"), *Audience.choices]
        members = User.objects.filter(
            initiative_memberships__initiative=initiative,
            initiative_memberships__state=MembershipState.ACTIVE,
        ).order_by("display_name")
        self.fields["facilitator"].queryset = members
        self.fields["facilitator"].label_from_instance = lambda u: u.display_name
        self.fields["facilitator"].empty_label = "No named facilitator"
        self.fields["duration_minutes"].widget.attrs.update(min=1, max=1440)

    def clean_locate(self) -> tuple[float, float] | None:
        text = self.cleaned_data.get("locate", "").strip()
        if not text:
            return None
        place = resolve_place(text, country=self.initiative.country or None)
        if place is None:
            raise forms.ValidationError(
                "We could not find that place. Try a town with its state, or a 5-digit ZIP."
            )
        return (place.latitude, place.longitude)

    def service_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "locate"}
        point = self.cleaned_data.get("locate")
        if point:
            data["latitude"], data["longitude"] = point
        return data


# Organisers see a guest's name; an address typed there would be shown to them.
GUEST_NAME_IS_AN_ADDRESS = (
    "Please write a name here (a first name is fine), not an email address: the organisers "
    "see this name. Your address goes in the box below and is never shown."
)


class MemberRsvpForm(forms.Form):
    remind_day_before = forms.BooleanField(
        label="Email me a reminder the day before", required=False, initial=True
    )
    remind_hour_before = forms.BooleanField(
        label="Email me a reminder an hour before", required=False, initial=True
    )


class GuestRsvpForm(MemberRsvpForm):
    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=80,
        help_text="Only the organisers and the event's facilitator see it. A first name is fine.",
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="We send a link to confirm your place. It is never shown to anyone.",
    )
    field_order = ["name", "email", "remind_day_before", "remind_hour_before"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if "@" in name:
            raise forms.ValidationError(GUEST_NAME_IS_AN_ADDRESS)
        return name


class ChangeOccurrenceForm(forms.Form):
    day = forms.DateField(label="Date", widget=DateInput())
    start_time = forms.TimeField(label="Start time (local)", widget=TimeInput())
    duration_minutes = forms.IntegerField(label="Length in minutes", min_value=1, max_value=1440)
    place_name = forms.CharField(label="Place (venue or town)", required=False, max_length=200)
    address = forms.CharField(label="Street address", required=False, max_length=300)
    note = forms.CharField(
        label="Message to attendees (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled? (sent to everyone who answered)",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SkipForm(forms.Form):
    day = forms.TypedChoiceField(label="Date", coerce=date.fromisoformat)

    def __init__(self, *args: Any, days: list[date], skipped: frozenset[date], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["day"].choices = [
            (d.isoformat(), f"{d:%A} {d.day} {d:%B %Y}" + (" (skipped)" if d in skipped else ""))
            for d in days
        ]


RADIUS_CHOICES = [("10", "10 miles"), ("25", "25 miles"), ("50", "50 miles"), ("100", "100 miles")]
MODE_CHOICES = [("", "In person or online"), ("in_person", "In person"), ("online", "Online")]


class NearForm(forms.Form):
    """The "find support near me" filters (GET, so every search is a shareable URL)."""

    place = forms.CharField(
        label="Town, city or ZIP code",
        required=False,
        max_length=120,
        help_text="For example “Portland, OR” or 97201.",
    )
    radius = forms.ChoiceField(label="Within", choices=RADIUS_CHOICES, required=False)
    start = forms.DateField(label="From", required=False, widget=DateInput())
    end = forms.DateField(label="Until", required=False, widget=DateInput())
    mode = forms.ChoiceField(label="How", choices=MODE_CHOICES, required=False)
    audience = forms.ChoiceField(
        label="For", choices=[("", "Everyone"), *Audience.choices], required=False
    )
    kind = forms.ChoiceField(
        label="Kind of event", choices=[("", "Any kind"), *EventKind.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        start = data.get("start") or today
        end = data.get("end") or start + timedelta(days=30)
        if end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        elif (end - start).days > 366:
            self.add_error("end", "Search at most a year at a time.")
        data["start"], data["end"] = start, end
        return data
