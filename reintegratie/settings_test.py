"""Test settings: the production settings, with local PostgreSQL and Redis unless told otherwise."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reintegratie")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests run tasks in-process; the worker test starts a real worker process on Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
# The deadline job's batches do not depend on the CPUs of the machine that runs the tests.
DEADLINE_WORKER_PROCESSES = env.int("DEADLINE_WORKER_PROCESSES", default=1)  # noqa: F405
