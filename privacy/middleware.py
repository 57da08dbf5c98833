import logging

from . import readlog

log = logging.getLogger(__name__)


class ReadLogMiddleware:
    """After a successful GET of a page that shows a dossier, records who read it (``privacy.readlog``).

    Runs after the view's transaction has committed. Logging never fails the request: any error is
    written to the application log (type only) and the response goes out as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and 200 <= response.status_code < 300:
            try:
                readlog.record(request)
            except Exception as exc:  # noqa: BLE001 - never fail the request for the log
                log.error("read log entry could not be written: %s", type(exc).__name__)
        return response
