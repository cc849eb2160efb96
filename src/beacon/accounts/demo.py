"""Demo accounts, one per role. Their addresses use the reserved `.example` domain."""

from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.accounts.models import User
from beacon.core.demo import register_demo

DEMO_PASSWORD = "beacon-demo-2026"  # noqa: S105 - a published demo password, local demo only
DEMO_ACCOUNTS = [
    # (email, display name, role)
    ("admin@demo.beacon.example", "Morgan (admin)", Role.ADMIN),
    ("moderator@demo.beacon.example", "Priya (moderator)", Role.MODERATOR),
    ("curator@demo.beacon.example", "Sam (directory curator)", Role.CURATOR),
    ("member@demo.beacon.example", "Jonah", Role.MEMBER),
    ("member2@demo.beacon.example", "Ama", Role.MEMBER),
]


@register_demo("accounts", order=0)
def seed() -> str:
    for email, name, role in DEMO_ACCOUNTS:
        if User.objects.filter(email=email).exists():
            continue
        User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            role=role,
            email_verified_at=timezone.now(),
        )
    return f"{len(DEMO_ACCOUNTS)} demo accounts (password {DEMO_PASSWORD})"
