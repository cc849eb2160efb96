"""The personal-data registry: every model that holds data about a person registers how to
export it and how to erase it.

Apps register in `AppConfig.ready()` from their own `personal_data.py`. "Download my data"
and "delete my account" walk this registry, and tests/core/test_personal_data_registry.py
fails when a model that points at a user (or has a personal field) is neither registered
nor exempted with a reason.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


class ErasureMode(enum.StrEnum):
    """What a person chose when closing their account."""

    DELETE = "delete"  # remove the account and everything they wrote
    ANONYMISE = "anonymise"  # remove the account; keep contributions without any name


ExportFn = Callable[[Any], Any]
EraseFn = Callable[[Any, ErasureMode], None]


@dataclass(frozen=True)
class Handler:
    """How one model's personal data is exported and erased for a given user."""

    model: type[models.Model]
    section: str
    export: ExportFn
    erase: EraseFn
    order: int = 100  # erasure order: lower runs first (dependants before the account)


class PersonalDataRegistry:
    """Holds one Handler per model, and exemptions with a written reason."""

    def __init__(self) -> None:
        self._handlers: dict[type[models.Model], Handler] = {}
        self._exempt: dict[type[models.Model], str] = {}

    def register(
        self,
        model: type[models.Model],
        *,
        section: str,
        export: ExportFn,
        erase: EraseFn,
        order: int = 100,
    ) -> None:
        """Register how `model`'s rows about a user are exported (under `section`) and erased."""
        if model in self._handlers:
            raise ValueError(f"{model._meta.label} already has a personal-data handler")
        self._handlers[model] = Handler(model, section, export, erase, order)

    def exempt(self, model: type[models.Model], *, reason: str) -> None:
        """Declare that `model` needs no handler, saying why (checked by a test)."""
        if not reason.strip():
            raise ValueError("an exemption needs a reason")
        self._exempt[model] = reason

    def handlers(self) -> list[Handler]:
        """Return the handlers in erasure order."""
        return sorted(self._handlers.values(), key=lambda h: (h.order, h.model._meta.label))

    def is_covered(self, model: type[models.Model]) -> bool:
        """Return whether `model` has a handler or a written exemption."""
        return model in self._handlers or model in self._exempt

    def export_for(self, user: Any) -> dict[str, Any]:
        """Return everything the registry knows about `user`, by section, JSON-serialisable."""
        result: dict[str, Any] = {}
        for handler in sorted(self._handlers.values(), key=lambda h: h.section):
            data = handler.export(user)
            if data in (None, [], {}):
                continue
            if handler.section in result and isinstance(result[handler.section], list):
                result[handler.section].extend(data)
            else:
                result[handler.section] = data
        return result

    def erase_for(self, user: Any, mode: ErasureMode) -> None:
        """Run every handler's erase for `user`. Call inside a transaction."""
        for handler in self.handlers():
            handler.erase(user, mode)


registry = PersonalDataRegistry()

# Field names that mark a model as holding personal data even without a user foreign key.
PERSONAL_FIELD_NAMES = frozenset(
    {"email", "ip_address", "display_name", "phone", "username", "first_name", "last_name"}
)
