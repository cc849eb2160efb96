"""Demo content for help: the shipped crisis lines."""

from beacon.core.demo import register_demo
from beacon.help.services import sync_crisis_lines


@register_demo("crisis lines", order=10)
def seed() -> str:
    return sync_crisis_lines().summary()
