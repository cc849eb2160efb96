"""Forms of the directory pages: search (GET), "something wrong?", and curation."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.forms import BaseInlineFormSet, inlineformset_factory

from beacon.directory.enums import Channel, Frequency, ReportReason, ServiceStatus
from beacon.directory.models import Phone, Schedule, Service
from beacon.directory.opening import ScheduleRule

# Radius choices in miles (the default country is the US); km shown beside them.
RADIUS_MILES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS = 25
KM_PER_MILE = 1.609344


class SearchForm(forms.Form):
    """Everything a search can say. Unknown filter values are dropped, never an error."""

    q = forms.CharField(label="What are you looking for?", required=False, max_length=200)
    place = forms.CharField(
        label="Near (town, city or ZIP code)",
        required=False,
        max_length=120,
        help_text="Optional. We look it up on this site; it is not sent anywhere.",
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    radius = forms.TypedChoiceField(
        label="Within",
        required=False,
        coerce=int,
        empty_value=DEFAULT_RADIUS,
        choices=[(m, f"{m} miles ({round(m * KM_PER_MILE)} km)") for m in RADIUS_MILES],
    )
    kind = forms.MultipleChoiceField(label="Kind of help", required=False)
    audience = forms.MultipleChoiceField(label="Especially for", required=False)
    language = forms.MultipleChoiceField(label="Language", required=False)
    channel = forms.MultipleChoiceField(label="How to reach them", required=False)
    cost = forms.MultipleChoiceField(label="Cost", required=False)
    open_now = forms.BooleanField(label="Open now", required=False)
    always = forms.BooleanField(label="Open 24/7", required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data, *, choices: dict[str, list[tuple[str, str]]]):
        cleaned_data = data.copy()
        super().__init__(cleaned_data)
        for name, options in choices.items():
            field = self.fields[name]
            field.choices = options
            field.widget = forms.CheckboxSelectMultiple(choices=options)
            # Drop values that are not (or no longer) choices instead of failing the search.
            allowed = {value for value, _label in options}
            if hasattr(cleaned_data, "setlist"):
                cleaned_data.setlist(name, [v for v in cleaned_data.getlist(name) if v in allowed])
        # A missing or unknown radius is the default, and the form shows the one used.
        if cleaned_data.get("radius") not in {str(m) for m in RADIUS_MILES}:
            cleaned_data["radius"] = str(DEFAULT_RADIUS)

    def clean(self):
        data = super().clean()
        if data.get("radius") not in RADIUS_MILES:
            data["radius"] = DEFAULT_RADIUS
        if (data.get("lat") is None) != (data.get("lon") is None):
            data["lat"] = data["lon"] = None
        return data


class ProblemReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What's wrong?", choices=ReportReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Anything else we should know? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Please don't include your own name or contact details.",
    )


class VerifyForm(forms.Form):
    note = forms.CharField(
        label="How did you check? (optional)",
        required=False,
        max_length=300,
        help_text="For example: called the number on 22 Nov, checked the website.",
    )


class ResolveReportForm(forms.Form):
    note = forms.CharField(label="What did you do? (optional)", required=False, max_length=300)


class ServiceCurateForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "status",
            "alert",
            "url",
            "chat_url",
            "email",
            "eligibility_description",
            "fees_description",
            "application_process",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "alert": forms.Textarea(attrs={"rows": 2}),
            "eligibility_description": forms.Textarea(attrs={"rows": 2}),
            "fees_description": forms.Textarea(attrs={"rows": 2}),
            "application_process": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "url": "Website",
            "chat_url": "Web chat address",
            "email": "Public email address of the service",
            "alert": "Notice shown at the top (e.g. temporary changes)",
            "eligibility_description": "Who can use it",
            "fees_description": "Cost",
        }

    status = forms.ChoiceField(choices=ServiceStatus.choices)


PhoneFormSet = inlineformset_factory(
    Service,
    Phone,
    fields=["number", "type", "text_keyword", "app", "description"],
    extra=1,
    can_delete=True,
    labels={
        "text_keyword": "Text keyword",
        "app": "Messaging app (e.g. whatsapp)",
        "description": "Label shown beside the number",
    },
)


# --------------------------------------------------------------------------- hours

DAYS = [
    ("MO", "Mon"),
    ("TU", "Tue"),
    ("WE", "Wed"),
    ("TH", "Thu"),
    ("FR", "Fri"),
    ("SA", "Sat"),
    ("SU", "Sun"),
]
CHANNEL_CHOICES = [("", "Every way in (all channels)"), *Channel.choices]


def weekly_hours_q() -> Q:
    """Schedule rows the curator page edits as regular weekly hours: every week, plain
    days, no dates. (Monthly groups, term-time hours and dated exceptions stay with the
    admin; the page lists them.)"""
    return (
        Q(freq=Frequency.WEEKLY, closed=False, bymonthday="")
        & (Q(interval__isnull=True) | Q(interval=1))
        & Q(
            valid_from=None,
            valid_to=None,
            dtstart=None,
            until=None,
            opens_at__isnull=False,
            closes_at__isnull=False,
        )
        & ~Q(byday__regex=r"[0-9]")
    )


def closed_days_q() -> Q:
    """Schedule rows the curator page edits as closed days: dated, whole-day closures."""
    return Q(closed=True, freq="", opens_at=None, valid_from__isnull=False)


class WeeklyHoursForm(forms.ModelForm):
    """Opening hours on some days of every week, for one channel or all of them."""

    days = forms.MultipleChoiceField(
        label="Days", choices=DAYS, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Schedule
        fields = ["channel", "opens_at", "closes_at"]
        labels = {"channel": "For", "opens_at": "Opens", "closes_at": "Closes"}
        help_texts = {
            "closes_at": "Local time. A closing time before the opening time runs past "
            "midnight; 00:00 to 00:00 is all day.",
        }
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = CHANNEL_CHOICES
        if self.instance.pk and self.instance.byday:
            self.initial["days"] = self.instance.byday.split(",")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not self.has_changed() or data.get("DELETE"):
            return data
        if not data.get("days"):
            self.add_error("days", "Choose at least one day.")
        for name in ("opens_at", "closes_at"):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, "Give a time.")
        if not self.errors:
            try:
                ScheduleRule(
                    freq="WEEKLY",
                    byday=",".join(data["days"]),
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    channel=data.get("channel") or "",
                )
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return data

    def save(self, commit: bool = True) -> Schedule:
        schedule = super().save(commit=False)
        schedule.freq = Frequency.WEEKLY
        schedule.byday = ",".join(d for d, _ in DAYS if d in self.cleaned_data["days"])
        schedule.closed = False
        if commit:
            schedule.save()
        return schedule


class ClosedDayForm(forms.ModelForm):
    """A day (or run of days) the service is closed, e.g. a holiday."""

    class Meta:
        model = Schedule
        fields = ["valid_from", "valid_to", "channel", "description"]
        labels = {
            "valid_from": "Closed on",
            "valid_to": "Until (for several days)",
            "channel": "For",
            "description": "Note shown on the page",
        }
        help_texts = {"description": "For example: Closed on 25 December (holiday)."}
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.TextInput(),
        }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = CHANNEL_CHOICES

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not self.has_changed() or data.get("DELETE"):
            return data
        if data.get("valid_from") is None and "valid_from" not in self.errors:
            self.add_error("valid_from", "Give the date.")
        elif data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", "The last day can't be before the first.")
        return data

    def save(self, commit: bool = True) -> Schedule:
        schedule = super().save(commit=False)
        schedule.freq = ""
        schedule.closed = True
        schedule.opens_at = schedule.closes_at = None
        if commit:
            schedule.save()
        return schedule


class _SomeSchedules(BaseInlineFormSet):
    """The service's schedule rows of one kind (`rows`), oldest first."""

    rows: Q = Q()

    def get_queryset(self) -> QuerySet[Schedule]:
        return super().get_queryset().filter(self.rows).order_by("channel", "byday", "opens_at")


class _WeeklyHours(_SomeSchedules):
    rows = weekly_hours_q()


class _ClosedDays(_SomeSchedules):
    rows = closed_days_q()

    def get_queryset(self) -> QuerySet[Schedule]:
        return super().get_queryset().order_by("valid_from", "id")


WeeklyHoursFormSet = inlineformset_factory(
    Service,
    Schedule,
    form=WeeklyHoursForm,
    formset=_WeeklyHours,
    fk_name="service",
    extra=1,
    can_delete=True,
)
ClosedDayFormSet = inlineformset_factory(
    Service,
    Schedule,
    form=ClosedDayForm,
    formset=_ClosedDays,
    fk_name="service",
    extra=1,
    can_delete=True,
)
