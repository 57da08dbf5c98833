"""Request ids and the request log line, and the health endpoint answered before anything else."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings
from django.http import JsonResponse

from . import health
from .logging import current_request_id

log = logging.getLogger("operations.request")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


class HealthCheckMiddleware:
    """``HEALTH_PATH`` (default ``/health/``) for the load balancer, first in MIDDLEWARE.

    It answers before host validation, the HTTPS redirect, sessions and authentication: a load balancer
    probes over plain HTTP by IP address and must not create sessions. The answer holds only ok/failed
    per check, nothing about the data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != settings.HEALTH_PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        wanted = request.GET.getlist("check") or None
        report = health.run_checks(wanted)
        response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
        response["Cache-Control"] = "no-store"
        return response


class RequestIdMiddleware:
    """Gives every request an id (the proxy's ``X-Request-ID`` when well-formed, else a new one), puts it
    in every log line of the request and in the response header, and logs one line per request (static
    files excepted): method, route (never the query string: a search may hold a name), status, duration and
    user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if request.path.startswith(settings.STATIC_URL):  # WhiteNoise's files: no line each
                return response
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            log.info(
                "%s %s %s",
                request.method,
                match.route if match else "-",
                response.status_code,
                extra={
                    "event": "request",
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            current_request_id.reset(token)
