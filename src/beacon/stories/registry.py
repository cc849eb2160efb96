"""The story-prompt registry: apps that invite stories (a campaign's call for stories) say
what a prompt code means, so the editor can show the prompt and refuse closed ones.

`Story.prompt_code` stays a plain code; stories never import the app that issued it. That
app registers a finder in its `AppConfig.ready()`; `find_prompt` asks each in turn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StoryPrompt:
    """What the editor needs to know about a prompt a story can answer."""

    code: str
    text: str  # the question people answer, as shown to them
    is_open: bool  # whether new stories may answer it
    source: str = ""  # who asks, e.g. "the campaign “It's OK to talk”"
    url: str = ""  # where the prompt is explained, or ''


PromptFinder = Callable[[str], StoryPrompt | None]

_finders: list[PromptFinder] = []


def register_prompt_finder(finder: PromptFinder) -> None:
    """Add a finder: called with a code, it returns the prompt, or None if not its own.
    Registering the same function twice is a no-op."""
    if finder not in _finders:
        _finders.append(finder)


def find_prompt(code: str) -> StoryPrompt | None:
    """The prompt with `code` from the first finder that knows it, else None."""
    if not code:
        return None
    for finder in _finders:
        prompt = finder(code)
        if prompt is not None:
            return prompt
    return None


def open_prompt(code: str) -> StoryPrompt | None:
    """The prompt with `code` if new stories may answer it now, else None."""
    prompt = find_prompt(code)
    return prompt if prompt is not None and prompt.is_open else None
