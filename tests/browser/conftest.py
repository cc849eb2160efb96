"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live
server, with axe-core (from npm) checking every page for accessibility violations."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db, settings):
    from beacon.help.services import sync_crisis_lines

    sync_crisis_lines()
    settings.BEACON_QUICK_EXIT_URL = f"{live_server.url}/static/core/img/beacon.svg"
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.0–2.2 A and AA rules plus best practices) on the current page."""
    # Injected through the DevTools protocol, which the page's strict CSP does not apply to;
    # an inline <script> tag would (rightly) be refused.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        cdp = page.context.new_cdp_session(page)
        cdp.send("Runtime.evaluate", {"expression": _axe_source()})
        cdp.detach()
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    # Started, then awaited with a time limit: in a context with scripts disabled axe never
    # finishes, and that must fail the test rather than hang the run.
    page.evaluate(
        """() => {
            window.__axeResult = null;
            axe.run(document, {runOnly: {type: 'tag', values:
              ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})
              .then(r => { window.__axeResult = r.violations.map(v => ({id: v.id,
                impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); });
        }"""
    )
    try:
        page.wait_for_function("() => window.__axeResult !== null", timeout=60_000, polling=100)
    except PlaywrightTimeoutError as exc:
        raise AssertionError(
            f"{page.url}: axe-core did not finish in 60 s (scripts disabled in this context? "
            "check accessibility in a context with JavaScript on)"
        ) from exc
    return page.evaluate("() => window.__axeResult")


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


@pytest.fixture(autouse=True)
def live_hub(monkeypatch):
    """The conversation streams' hub with its real watcher thread, as a server runs it."""
    from beacon.conversations.views import live

    hub = live.Hub(interval=0.2)
    monkeypatch.setattr(live, "hub", hub)
    yield hub
    hub.stop()  # before the test database goes away
