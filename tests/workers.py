"""A real Celery worker process against this test's database and Redis (for the worker tests)."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def start_worker(queue: str, *args: str, **env) -> subprocess.Popen:
    """``celery worker`` (solo pool) on ``queue``, with the test database; ``env`` adds variables."""
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reintegratie.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        **env,
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "celery", "-A", "reintegratie", "worker", "--pool=solo", "-Q", queue]
        + ["--without-gossip", "--without-mingle", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def stop_worker(proc: subprocess.Popen) -> str:
    """Warm shutdown (killed after 20 s); the worker's output."""
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out.decode(errors="replace")
