import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from beacon.config import env

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SOURCES = [
    ROOT / "src/beacon/config/settings.py",
    ROOT / "src/beacon/config/env.py",
    ROOT / "src/beacon/config/gunicorn.py",
]
DOC = ROOT / "docs/operations/configuration.md"


def variables_read_by_settings() -> set[str]:
    names = set()
    for path in SETTINGS_SOURCES:
        names |= set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', path.read_text()))
    return names


def test_every_environment_variable_is_documented():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", DOC.read_text()))

    names = variables_read_by_settings()

    assert len(names) >= 25
    assert names - documented == set()


def test_env_bool_accepts_the_usual_words_and_refuses_others(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env.env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env.env_bool("X_FLAG") is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env.env_bool("X_FLAG")


def test_env_int_and_list_parse_and_validate(monkeypatch):
    monkeypatch.setenv("X_NUM", "7")
    monkeypatch.setenv("X_LIST", " a, b ,,c ")
    assert (env.env_int("X_NUM", 1), env.env_list("X_LIST", [])) == (7, ["a", "b", "c"])
    monkeypatch.setenv("X_NUM", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int("X_NUM", 1, minimum=0)


def test_env_str_reads_a_file_variant(monkeypatch, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_PASSWORD_FILE", str(secret))

    assert env.env_str("X_PASSWORD") == "s3cret"


def test_secret_key_is_generated_once_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    first = env.secret_key(tmp_path)
    second = env.secret_key(tmp_path)

    assert first == second and len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_short_secret_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "short")

    with pytest.raises(ImproperlyConfigured, match="50 characters"):
        env.secret_key(tmp_path)


def run_manage(args: list[str], extra_env: dict[str, str], tmp_path: Path):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "BEACON_", "DEBUG"))
    }
    environment.update({"BEACON_VAR_DIR": str(tmp_path), **extra_env})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "BEACON_HTTPS": "true",
            "ALLOWED_HOSTS": "beacon.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        },
        tmp_path,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_https_is_not_configured(tmp_path):
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"ALLOWED_HOSTS": "beacon.example.org"},
        tmp_path,
    )

    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


def test_debug_is_off_unless_asked_for(tmp_path):
    result = run_manage(
        ["shell", "-v", "0", "-c", "from django.conf import settings; print(settings.DEBUG)"],
        {},
        tmp_path,
    )

    assert result.stdout.strip() == "False"
