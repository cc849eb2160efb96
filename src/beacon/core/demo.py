"""The demo-content registry: each app adds a function that creates its demo content.

`manage.py seed_demo` runs them in order. Each function must be idempotent: running the
command twice leaves the same content, never duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    order: int
    seed: Callable[[], str]  # returns a one-line summary of what exists afterwards


_seeders: dict[str, DemoSeeder] = {}


def register_demo(name: str, *, order: int) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Decorator: register `seed()` as the demo-content creator called `name`."""

    def decorator(func: Callable[[], str]) -> Callable[[], str]:
        _seeders[name] = DemoSeeder(name, order, func)
        return func

    return decorator


def demo_seeders() -> list[DemoSeeder]:
    """Return the registered seeders in the order they must run."""
    return sorted(_seeders.values(), key=lambda s: (s.order, s.name))
