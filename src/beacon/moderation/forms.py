"""Forms of the moderation queue."""

from django import forms

from beacon.moderation.enums import Action, ReportReason


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    message = forms.CharField(
        label="Message to the author",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when asking for changes, declining or removing. Be kind and "
        "specific; the author will read this.",
    )

    def __init__(self, *args, allowed: list[str], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, Action(a).label) for a in allowed]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong?", choices=ReportReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Anything a moderator should know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
