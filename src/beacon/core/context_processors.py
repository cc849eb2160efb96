"""Values every page template needs."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Site name and the operator's quick-exit address."""
    return {
        "site_name": settings.BEACON_SITE_NAME,
        "quick_exit_url": settings.BEACON_QUICK_EXIT_URL,
    }
