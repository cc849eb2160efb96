"""Forms of the directory pages: search (GET), "something wrong?", and curation."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory

from beacon.directory.enums import ReportReason, ServiceStatus
from beacon.directory.models import Phone, Service

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
