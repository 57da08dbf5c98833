"""Structured logs: one JSON line per event, with the request id (or the Celery task id).

``RequestIdMiddleware`` (and, in a worker, ``celery_signals``) put an id in ``current_request_id``; the
``ContextFilter`` copies it onto every record, so any logger's line carries it. Fields passed with
``extra=`` that name a dossier (``traject_id``, ``personeelslid_id``) or a job (``job``, ``job_run_id``)
become top-level JSON keys, so the daily job's errors can be found by dossier id::

    jq 'select(.traject_id == 17)' app.log

Log messages never contain names or free text of a dossier: ids only.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

current_request_id: ContextVar[str] = ContextVar("request_id", default="")

# extra= keys that become top-level fields of the JSON line
EXTRA_FIELDS = (
    "traject_id",
    "personeelslid_id",
    "job",
    "job_run_id",
    "event",
    "status",
    "duration_ms",
    "user_id",
)


class ContextFilter(logging.Filter):
    """Adds ``request_id`` to every record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id.get(),
        }
        for key in EXTRA_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Development: readable lines, with the request id and dossier id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        tags = [f"{k}={getattr(record, k)}" for k in ("request_id", "traject_id") if getattr(record, k, "")]
        return f"{line} [{' '.join(tags)}]" if tags else line


def logging_config(fmt: str, level: str) -> dict:
    """The LOGGING setting: ``fmt`` is "json" (production) or "text" (development)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "operations.logging.ContextFilter"}},
        "formatters": {
            "json": {"()": "operations.logging.JsonFormatter"},
            "text": {
                "()": "operations.logging.TextFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if fmt == "json" else "text",
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Django's own request lines repeat ours (operations.request) for 4xx; keep its 5xx errors
            "django.request": {"level": "ERROR"},
        },
    }
