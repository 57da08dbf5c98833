"""The development default (README, step 1): SQLite, tasks in-process. The suite runs on PostgreSQL; these
run the commands a newcomer runs against a fresh SQLite database, in separate processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('dev') / 'dev.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "reintegratie.settings",
    }
    env.pop("REDIS_URL", None)
    manage("migrate", "-v0", env=env)
    return env


def manage(*args, env) -> list[str]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        timeout=300,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


def test_the_search_name_triggers_work_on_sqlite(sqlite_env):
    """Migration 0012's SQLite triggers: registering and renaming keep the trajectory's zoeknaam."""
    script = (
        "from tests.factories import PersoneelslidFactory, TrajectFactory\n"
        "from trajecten.models import Personeelslid, Traject\n"
        "lid = PersoneelslidFactory(voornaam='Ann', achternaam='Peeters', personeelsnummer='P1')\n"
        "t = TrajectFactory(personeelslid=lid)\n"
        "print(Traject.objects.get(pk=t.pk).zoeknaam)\n"
        "Personeelslid.objects.filter(pk=lid.pk).update(achternaam='Janssens')\n"
        "print(Traject.objects.get(pk=t.pk).zoeknaam)\n"
        "Traject.objects.filter(pk=t.pk).update(zoeknaam='x')\n"
        "print(Traject.objects.get(pk=t.pk).zoeknaam)\n"
    )
    out = manage("shell", "-c", script, env=sqlite_env)[-3:]  # (after what the shell imported)
    assert out == ["Ann Peeters P1", "Ann Janssens P1", "Ann Janssens P1"]


def test_demo_data_and_the_deadline_job_with_its_mails_run_on_sqlite(sqlite_env):
    manage("seed_demo", env=sqlite_env)
    out = "\n".join(manage("run_deadline_job", env=sqlite_env))
    assert "e-mails verstuurd, 0 mislukt" in out
    assert not out.startswith("0 e-mails")
