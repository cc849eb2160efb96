"""The moderation registry: content types say how the queue reads and decides them.

An app registers one `ModeratedType` per model in `AppConfig.ready()`. The queue never
imports the app: it only calls these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class ModeratedType:
    """How the queue handles one model."""

    model: type[models.Model]
    label: str  # what a moderator calls it: "story", "comment"
    title: Callable[[Any], str]
    text: Callable[[Any], str]  # the text the engine read, shown with its signal spans
    author: Callable[[Any], Any]  # the account to notify, or None
    apply_decision: Callable[..., None]  # (obj, action, *, actor, message) -> None
    hide: Callable[[Any, bool], None]  # hide (True) or show (False) after reports
    public_url: Callable[[Any], str]  # '' when not public
    author_url: Callable[[Any], str]  # where the author sees the item's state
    allowed_actions: Callable[[Any], list[str]]


_types: dict[str, ModeratedType] = {}


def register_moderated(moderated: ModeratedType) -> None:
    """Make `moderated.model` moderatable. Raises ValueError when registered twice."""
    key = moderated.model._meta.label_lower
    if key in _types:
        raise ValueError(f"{key} is already registered for moderation")
    _types[key] = moderated


def moderated_type_for(model_or_obj: Any) -> ModeratedType:
    """Return the registration for a model or instance; KeyError when it has none."""
    return _types[model_or_obj._meta.label_lower]
