"""Backups that restore: the README's pg_dump / pg_restore commands, run on a generated database, give a new
database with the same row counts and the same report figures (``manage.py fingerprint --compare``)."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from operations.fingerprint import fingerprint

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def run(*cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


def test_a_dump_restores_into_a_new_database_with_the_same_counts_and_figures(tmp_path):
    call_command("seed_demo", "--reference-date", "2026-11-24", stdout=StringIO())
    before = fingerprint()
    assert (
        before["tables"]["trajecten_traject"] >= 250 and before["tables"]["trajecten_historicalgesprek"] > 0
    )
    assert len(before["figures"]) >= 3
    saved = tmp_path / "voor.json"
    saved.write_text(json.dumps(before, default=str))

    db = connection.settings_dict
    server = ["--host", db["HOST"], "--port", str(db["PORT"]), "--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    restored = f"{db['NAME']}_restore"
    dump = tmp_path / "reintegratie.dump"
    run("pg_dump", "--format=custom", f"--file={dump}", *server, db["NAME"], env=env)
    run("dropdb", "--if-exists", *server, restored, env=env)
    run("createdb", *server, restored, env=env)
    try:
        run(
            "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", *server, str(dump), env=env
        )
        url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{restored}"
        manage = [sys.executable, str(ROOT / "manage.py"), "fingerprint", "--compare", str(saved)]
        app_env = {**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "reintegratie.settings_test"}
        same = subprocess.run(manage, capture_output=True, text=True, env=app_env, cwd=ROOT)  # noqa: S603
        assert same.returncode == 0, same.stdout + same.stderr
        assert (
            f"Gelijk: {len(before['tables'])} tabellen en de cijfers van {len(before['figures'])} jaren"
            in same.stdout
        )

        # the comparison can fail: one missing conversation changes a count and a year's figures
        run(
            "psql",
            *server,
            "--dbname",
            restored,
            "-c",
            "DELETE FROM trajecten_gesprek WHERE id = (SELECT min(id) FROM trajecten_gesprek)",
            env=env,
        )
        differs = subprocess.run(manage, capture_output=True, text=True, env=app_env, cwd=ROOT)  # noqa: S603
        assert differs.returncode != 0 and "tabel trajecten_gesprek" in differs.stdout
    finally:
        run("dropdb", "--if-exists", *server, restored, env=env)
