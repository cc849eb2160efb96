"""The periodic jobs the events app needs are documented for whoever deploys Beacon."""

from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = sorted(
    p.stem
    for p in (ROOT / "src/beacon/events/management/commands").glob("*.py")
    if not p.stem.startswith("_")
)


def test_the_events_app_has_its_three_periodic_commands():
    assert COMMANDS == ["materialise_occurrences", "prune_rsvps", "send_due_reminders"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_periodic_command_has_a_cron_row_in_the_deployment_guide(command):
    guide = (ROOT / "docs/operations/deployment.md").read_text()
    lines = guide.splitlines()
    rows = [line for line in lines if line.startswith("|") and f"`manage.py {command}`" in line]
    assert rows, f"{command} has no row in the periodic jobs table"
    crontab = [line for line in lines if line.startswith(("*", "1", "2")) and command in line]
    assert crontab, f"{command} is missing from the example crontab"


@pytest.mark.django_db
@pytest.mark.parametrize("command", COMMANDS)
def test_every_periodic_command_runs_on_an_empty_site(command, capsys):
    call_command(command)
    assert capsys.readouterr().out.strip()
