"""Health checks for the load balancer (``/health/``) and the operator's status page.

- ``database``: a ``SELECT 1`` on the default database;
- ``redis`` (when ``REDIS_URL`` is set): a PING;
- ``celery`` (when ``REDIS_URL`` is set and ``HEALTH_CHECK_CELERY`` is on): at least one worker wrote its
  heartbeat (``operations.heartbeat``) in the last ``HEALTH_HEARTBEAT_MAX_AGE`` seconds.

A failed check gives only the exception's class, never its message (which may hold a host or a user).
"""

from __future__ import annotations

import time
from functools import cache

from django.conf import settings
from django.db import connections


@cache
def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def heartbeat_key(hostname: str = "") -> str:
    return f"{settings.HEALTH_HEARTBEAT_KEY_PREFIX}{hostname}"


def check_database() -> dict:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_redis() -> dict:
    redis_client(settings.REDIS_URL).ping()
    return {}


def check_celery() -> dict:
    """Live workers: heartbeat keys younger than the maximum age (keys also expire on their own)."""
    client = redis_client(settings.REDIS_URL)
    now = time.time()
    ages = []
    for key in client.scan_iter(match=heartbeat_key("*"), count=100):
        value = client.get(key)
        if value is not None:
            ages.append(now - float(value))
    live = [a for a in ages if a <= settings.HEALTH_HEARTBEAT_MAX_AGE]
    details = {"workers": len(live)}
    if ages:
        details["last_heartbeat_seconds"] = round(max(0.0, min(ages)))
    if not live:
        raise RuntimeError("no live Celery worker")
    return details


CHECKS = {"database": check_database, "redis": check_redis, "celery": check_celery}


def configured() -> list[str]:
    names = ["database"]
    if settings.REDIS_URL:
        names.append("redis")
        if settings.HEALTH_CHECK_CELERY:
            names.append("celery")
    return names


def run_checks(wanted: list[str] | None = None) -> dict:
    """{"status": "ok"|"fout", "checks": {name: {"status": ..., ...}}}; ``wanted`` limits the checks."""
    names = [n for n in configured() if wanted is None or n in wanted]
    results = {}
    for name in names:
        try:
            results[name] = {"status": "ok", **CHECKS[name]()}
        except Exception as exc:  # noqa: BLE001 - any failure is a failed check
            results[name] = {"status": "fout", "error": type(exc).__name__}
    status = "ok" if all(r["status"] == "ok" for r in results.values()) else "fout"
    return {"status": status, "checks": results}
