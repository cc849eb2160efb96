"""Tells the story editor what a call-for-stories code means (the stories app's prompt
registry), so it can show the prompt being answered and refuse closed or unknown calls.
Stories never import campaigns; this registration is the only link."""

from __future__ import annotations

from django.urls import reverse

from beacon.campaigns.queries import public_call
from beacon.stories.registry import StoryPrompt, register_prompt_finder


def find_call_prompt(code: str) -> StoryPrompt | None:
    """The call for stories with `code`, on a published campaign, as the editor sees it."""
    call = public_call(code)
    if call is None:
        return None
    return StoryPrompt(
        code=call.code,
        text=call.prompt,
        is_open=call.is_open,
        source=f"the campaign “{call.campaign.title}”",
        url=reverse("campaigns:detail", args=[call.campaign.code]),
    )


register_prompt_finder(find_call_prompt)
