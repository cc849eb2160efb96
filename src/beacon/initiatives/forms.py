"""Initiative forms: the listing form (which resolves the place typed to coordinates),
membership, training, volunteer roles and applications, hours, and the search form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from beacon.initiatives.enums import Activity, Audience, MemberRole, Setting, TrainingKind
from beacon.initiatives.models import Initiative
from beacon.places.queries import resolve_place


class InitiativeForm(forms.Form):
    name = forms.CharField(label="Name of the initiative", max_length=120)
    mission = forms.CharField(
        label="Mission",
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences: who you are for and what you do together.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="How a first visit goes, what to expect, accessibility. You can use "
        "Markdown: *italic*, **bold**, lists.",
    )
    setting = forms.ChoiceField(
        label="Where do you meet?", choices=Setting.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label="Town, city or US ZIP code",
        max_length=200,
        required=False,
        help_text="Needed for urban and rural initiatives, so people nearby can find you. "
        "Online initiatives can leave it empty. Example: Portland, OR or 97214.",
    )
    areas_served = forms.CharField(
        label="Areas served",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Neighbourhoods, towns or counties; or “anywhere” for online groups.",
    )
    audiences = forms.MultipleChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty if everyone is welcome.",
    )
    activities = forms.MultipleChoiceField(
        label="What do you do?",
        choices=Activity.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.CharField(
        label="Partners",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Organisations you work with, if any.",
    )
    contact_url = forms.URLField(
        label="Website", required=False, help_text="The group's own page, if it has one."
    )
    contact_phone = forms.CharField(label="Public phone number", max_length=40, required=False)
    contact_email = forms.EmailField(
        label="Public email address of the group",
        required=False,
        help_text="Shown on the initiative's page. Use an address of the group, not your "
        "personal one.",
    )

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.resolved: dict[str, Any] = {}

    def clean_contact_email(self) -> str:
        email = self.cleaned_data.get("contact_email", "").strip()
        actor_email = getattr(self.actor, "email", "") or ""
        if email and actor_email and email.lower() == actor_email.lower():
            raise forms.ValidationError(
                "This is the address of your Beacon account, which we never show. Give an "
                "address of the group instead, or leave it empty."
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        setting = data.get("setting")
        place_text = (data.get("place") or "").strip()
        if setting in (Setting.URBAN, Setting.RURAL) and not place_text:
            self.add_error("place", "Say where you meet: a town, a city or a US ZIP code.")
        elif place_text:
            found = resolve_place(place_text)
            if found is None:
                self.add_error(
                    "place",
                    f"We could not find “{place_text}”. Try the nearest town with its state "
                    "(like Burns, OR) or a US ZIP code.",
                )
            else:
                self.resolved = {
                    "place_name": found.label,
                    "latitude": found.latitude,
                    "longitude": found.longitude,
                    "country": found.country,
                }
        elif setting == Setting.ONLINE:
            self.resolved = {"place_name": "", "latitude": None, "longitude": None}
        phone, email, url = (
            data.get("contact_phone"),
            data.get("contact_email"),
            data.get("contact_url"),
        )
        if not (phone or email or url) and "contact_email" not in self.errors:
            self.add_error(
                None,
                "Give at least one way to reach the group: a website, a phone number or an "
                "email address of the group.",
            )
        return data

    def service_fields(self) -> dict[str, Any]:
        """What the services take: cleaned data with the place resolved to coordinates."""
        data = dict(self.cleaned_data)
        data.pop("place", None)
        return data | self.resolved


def initial_from_initiative(initiative: Initiative) -> dict[str, Any]:
    """The edit form's starting values: the words waiting for review when there are
    some (the organisers go on from what they proposed), else the initiative's own."""
    words = initiative.pending_edit or {}
    return {
        "name": words.get("name", initiative.name),
        "mission": words.get("mission", initiative.mission),
        "description": words.get("description", initiative.description),
        "setting": initiative.setting,
        "place": initiative.place_name,
        "areas_served": initiative.areas_served,
        "audiences": initiative.audience_values,
        "activities": initiative.activity_values,
        "partners": initiative.partners,
        "contact_url": initiative.contact_url,
        "contact_phone": initiative.contact_phone,
        "contact_email": initiative.contact_email,
    }


class JoinForm(forms.Form):
    message = forms.CharField(
        label="A note for the organisers (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Organisers read it; it is not shown to anyone else.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=MemberRole.choices)


class DateInput(forms.DateInput):
    input_type = "date"


class TrainingForm(forms.Form):
    member = forms.ChoiceField(label="Member")
    kind = forms.ChoiceField(label="Training", choices=TrainingKind.choices)
    title = forms.CharField(label="Course name (optional)", max_length=120, required=False)
    completed_on = forms.DateField(label="Completed on", widget=DateInput)
    expires_on = forms.DateField(
        label="Expires on (optional)",
        required=False,
        widget=DateInput,
        help_text="Leave empty if it does not expire.",
    )

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "Choose a member"), *members]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        done, expires = data.get("completed_on"), data.get("expires_on")
        if done and done > timezone.localdate():
            self.add_error("completed_on", "The completion date cannot be in the future.")
        if done and expires and expires < done:
            self.add_error("expires_on", "The expiry date must be on or after completion.")
        return data


class VolunteerRoleForm(forms.Form):
    title = forms.CharField(label="Title", max_length=120)
    description = forms.CharField(
        label="What the role involves",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    requirements = forms.MultipleChoiceField(
        label="Training needed",
        choices=TrainingKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Volunteers need a current record of each before you can approve them.",
    )
    time_commitment = forms.CharField(
        label="Time commitment", max_length=120, required=False, help_text="E.g. 2 hours a week."
    )
    is_open = forms.BooleanField(label="Taking volunteers now", required=False, initial=True)


class ApplicationForm(forms.Form):
    message = forms.CharField(
        label="Why you'd like to help (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HoursForm(forms.Form):
    member = forms.ChoiceField(label="Who gave the time")
    date = forms.DateField(label="Day", widget=DateInput)
    hours = forms.DecimalField(
        label="Hours", min_value=Decimal("0.25"), max_value=Decimal("24"), decimal_places=2
    )
    role = forms.ChoiceField(label="Role (optional)", required=False)
    note = forms.CharField(label="Note (optional)", max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        members: list[tuple[str, str]],
        roles: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members
        self.fields["role"].choices = [("", "No particular role"), *roles]
        if len(members) == 1:
            self.fields["member"].initial = members[0][0]

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("The day cannot be in the future.")
        return day


RADIUS_CHOICES = [("10", "10 miles"), ("25", "25 miles"), ("50", "50 miles"), ("100", "100 miles")]


class SearchForm(forms.Form):
    """The list page's GET filters. Every field is optional; bad values are ignored."""

    q = forms.CharField(label="Words", max_length=100, required=False)
    near = forms.CharField(label="Near (town, city or US ZIP)", max_length=100, required=False)
    radius = forms.ChoiceField(label="Within", choices=RADIUS_CHOICES, required=False, initial="25")
    setting = forms.ChoiceField(
        label="Setting", choices=[("", "Any setting"), *Setting.choices], required=False
    )
    audience = forms.ChoiceField(
        label="For", choices=[("", "Everyone"), *Audience.choices], required=False
    )
    activity = forms.ChoiceField(
        label="Activity", choices=[("", "Any activity"), *Activity.choices], required=False
    )
