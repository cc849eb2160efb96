"""Shared set-up of the directory benchmarks: a fresh database and Django, in-process."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def setup_django(keep: str | None = None) -> Path:
    """Point Django at a new SQLite file (or the PostgreSQL in DATABASE_URL, or the SQLite
    file `keep`, kept between runs), migrate, and return a scratch folder."""
    tmp = Path(tempfile.mkdtemp(prefix="beacon-bench-"))
    os.environ["BEACON_VAR_DIR"] = str(tmp)
    if keep:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(keep).resolve()}"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "beacon.config.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    (tmp / "static").mkdir(exist_ok=True)  # whitenoise looks for it
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    return tmp


def empty_directory() -> None:
    """Delete every directory row with plain SQL (the ORM's cascade is slow at this size)."""
    from django.db import connection, transaction

    from beacon.directory import models as m
    from beacon.directory.hsds_io import TABLE_MODELS

    models = [m.ServiceIndex, m.DirectoryReport, *reversed(TABLE_MODELS.values())]
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def database_label() -> str:
    from django.db import connection

    return connection.vendor
