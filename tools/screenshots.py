"""Take screenshots of a running Beacon for the README: `python tools/screenshots.py [BASE_URL]`.

Uses Debian's Chromium through Playwright; writes PNGs to docs/screenshots/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [
    ("home", "/"),
    ("help", "/help/?country=GB"),
    ("signup", "/accounts/signup/"),
    ("stories", "/stories/"),
    ("heroes", "/stories/heroes/"),
]
SIGNED_IN = [
    ("moderator@demo.beacon.example", [("queue", "/moderation/"), ("write", "/stories/write/")])
]
DEMO_PASSWORD = "beacon-demo-2026"  # noqa: S105 - the published demo password


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    only = sys.argv[2:] or None
    out = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for scheme in ("light", "dark"):
            for width, label in ((1280, "desktop"), (360, "phone")):
                page = browser.new_page(
                    viewport={"width": width, "height": 900}, color_scheme=scheme
                )
                for name, path in PAGES:
                    if only and name not in only:
                        continue
                    page.goto(base + path)
                    page.screenshot(path=str(out / f"{name}-{label}-{scheme}.png"), full_page=True)
                page.close()
        for email, pages in SIGNED_IN:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "/accounts/login/")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/accounts/")
            for name, path in pages:
                if only and name not in only:
                    continue
                page.goto(base + path)
                page.wait_for_timeout(500)
                page.screenshot(path=str(out / f"{name}-desktop-light.png"), full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
