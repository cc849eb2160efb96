"""Forms of campaigns and pledges. Services do the checks that need the database; forms
check shape, and a refused action shows the form again as typed."""

from __future__ import annotations

from django import forms

from beacon.campaigns.enums import PledgeKind
from beacon.campaigns.validators import (
    MAX_IMAGE_BYTES,
    MAX_TOOLKIT_FILE_BYTES,
    validate_share_image,
    validate_toolkit_file,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    title = forms.CharField(label="Title", max_length=140)
    goal = forms.CharField(
        label="Goal",
        max_length=300,
        help_text="In one sentence: what should be different when the campaign succeeds?",
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="You can use Markdown. It is read for stigmatising language and safety.",
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(
        label="Ends on", widget=DATE, required=False, help_text="Leave empty for an open end."
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The end date must be on or after the start date.")
        return data


class ToolkitFileForm(forms.Form):
    title = forms.CharField(label="Title", max_length=140)
    description = forms.CharField(label="What is it for?", max_length=300, required=False)
    file = forms.FileField(
        label="File",
        validators=[validate_toolkit_file],
        help_text=f"PDF, Word (DOCX), OpenDocument (ODT), PowerPoint (PPTX), PNG, JPEG, SVG or "
        f"plain text, up to {MAX_TOOLKIT_FILE_BYTES // (1024 * 1024)} MB.",
    )


class ToolkitImageForm(forms.Form):
    image = forms.FileField(
        label="Image",
        validators=[validate_share_image],
        help_text=f"PNG, JPEG or SVG, up to {MAX_IMAGE_BYTES // (1024 * 1024)} MB.",
    )
    alt_text = forms.CharField(
        label="Alt text",
        max_length=300,
        help_text="Describe the image in a sentence for people who cannot see it.",
    )
    caption = forms.CharField(label="Caption", max_length=300, required=False)


class ToolkitSnippetForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=140, help_text="E.g. “A post for social media”"
    )
    text = forms.CharField(
        label="Text to share", max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )


class CallForm(forms.Form):
    prompt = forms.CharField(
        label="Prompt", max_length=300, help_text="The question people answer with a story."
    )
    guidance = forms.CharField(
        label="Guidance",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional, Markdown: what kind of stories you hope for.",
    )
    is_open = forms.BooleanField(label="Open for new stories", required=False, initial=True)


class PledgeForm(forms.Form):
    title = forms.CharField(label="Title", max_length=140)
    statement = forms.CharField(
        label="Statement",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What people (or organisations) commit to, in their voice: “I will…”",
    )
    kind = forms.ChoiceField(
        label="Who signs?", choices=PledgeKind.choices, widget=forms.RadioSelect
    )
    goal = forms.IntegerField(label="Goal", min_value=1, max_value=10_000_000, initial=100)
    is_open = forms.BooleanField(label="Open for signatures", required=False, initial=True)
    followup_7_action = forms.CharField(
        label="Action mailed 7 days after signing",
        required=False,  # required for personal pledges: see clean()
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One concrete thing to do. Required when people sign the pledge.",
    )
    followup_30_action = forms.CharField(
        label="Action mailed 30 days after signing",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One concrete thing to do. Required when people sign the pledge.",
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("kind") == PledgeKind.PERSONAL:
            for field, days in (("followup_7_action", 7), ("followup_30_action", 30)):
                if not data.get(field, "").strip() and field not in self.errors:
                    self.add_error(
                        field,
                        f"Write the one thing signers can do after {days} days: "
                        "we email it to them.",
                    )
        return data


class MemberSignForm(forms.Form):
    show_name = forms.BooleanField(
        label="Show my display name with my signature",
        required=False,
        help_text="Otherwise you are counted as “someone”.",
    )


class GuestSignForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="We send you a link to confirm. It is never shown to anyone.",
    )
    name = forms.CharField(label="First name (optional)", max_length=60, required=False)
    show_name = forms.BooleanField(
        label="Show this name with my signature",
        required=False,
        help_text="Otherwise you are counted as “someone”.",
    )


class CommitmentForm(forms.Form):
    organisation_name = forms.CharField(label="Organisation", max_length=140)
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    action_plan = forms.CharField(
        label="Action plan",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What your organisation will do, by when. Markdown is welcome. A moderator "
        "reads it before it is public.",
    )
    representative = forms.BooleanField(
        label="I am authorised to commit this organisation to the pledge."
    )


class CheckInForm(forms.Form):
    on = forms.DateField(label="Date", widget=DATE)
    progress = forms.CharField(
        label="Progress",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has happened since the last check-in? Markdown is welcome.",
    )


class LanguageCheckForm(forms.Form):
    text = forms.CharField(
        label="Your text",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Nothing you paste here is stored or logged.",
    )
