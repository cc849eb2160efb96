"""The two places where initiatives read from the events app, if it is installed and ready.

The events app depends on initiatives, never the other way round, so these functions look
for its queries at call time (importlib) and return nothing when they are not there:
- `beacon.events.queries.upcoming_for_initiative(initiative)` -> iterable of events, soonest
  first
  (rendered by the template hook initiatives/_upcoming_events.html);
- `beacon.events.queries.attendance_by_month(initiative, start, end)` -> list of dicts
  {month: date (first of month), events_held, attendance, returning_attendees}.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

EVENTS_QUERIES = "beacon.events.queries"


def _events_function(name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module(EVENTS_QUERIES)
    except ImportError:
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None


def upcoming_events(initiative: Any, *, limit: int = 5) -> list[Any]:
    """The next public events of `initiative`, or [] when the events app provides none."""
    function = _events_function("upcoming_for_initiative")
    if function is None:
        return []
    return list(itertools.islice(function(initiative), limit))


def attendance_by_month(initiative: Any, start: date, end: date) -> list[dict[str, Any]] | None:
    """The events app's monthly figures, or None when it provides none."""
    function = _events_function("attendance_by_month")
    if function is None:
        return None
    return list(function(initiative, start, end))
