"""Celery workers' heartbeat for the health check: every worker writes the time into a Redis key of its
own every ``HEALTH_HEARTBEAT_INTERVAL`` seconds (a worker bootstep on the worker's timer). The key expires
on its own, so a worker that dies disappears; one that stops cleanly removes its key at once.

Registered in ``reintegratie/celery.py`` (``app.steps["worker"].add(HeartbeatStep)``). This module does
not import models: it is loaded with the Celery app, before Django's apps are ready.
"""

from __future__ import annotations

import logging
import time

from celery import bootsteps
from django.conf import settings

log = logging.getLogger(__name__)


def beat(hostname: str) -> None:
    if not settings.REDIS_URL:
        return
    from .health import heartbeat_key, redis_client

    try:
        ttl = max(1, int(settings.HEALTH_HEARTBEAT_MAX_AGE * 2))
        redis_client(settings.REDIS_URL).set(heartbeat_key(hostname), repr(time.time()), ex=ttl)
    except Exception:  # noqa: BLE001 - Redis down: the health check will say so; the worker goes on
        log.warning("celery heartbeat could not be written", exc_info=True)


def clear(hostname: str) -> None:
    if not settings.REDIS_URL:
        return
    from .health import heartbeat_key, redis_client

    try:
        redis_client(settings.REDIS_URL).delete(heartbeat_key(hostname))
    except Exception:  # noqa: BLE001
        log.warning("celery heartbeat could not be removed", exc_info=True)


class HeartbeatStep(bootsteps.StartStopStep):
    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        beat(worker.hostname)
        self.tref = worker.timer.call_repeatedly(
            settings.HEALTH_HEARTBEAT_INTERVAL, beat, (worker.hostname,), priority=10
        )

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
        clear(worker.hostname)
