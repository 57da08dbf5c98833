"""Response headers that every page and download of the tool carries (issue 11, hardening).

Static files never reach this middleware: WhiteNoise, above it in MIDDLEWARE, answers them first. Everything
else is dynamic and may show dossier or report data (worklist, dossiers, dashboards, exports, downloads,
the admin), so it is marked ``no-store`` here, centrally, instead of view by view: a new view or app is
covered without anyone having to remember it.
"""

from django.utils.cache import add_never_cache_headers

# Browser features the tool never uses; an empty allow-list "()" switches each off for every origin.
# Only features Chromium recognises are listed: an unknown one is reported as an error in the console.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; ``Cache-Control: no-store`` on every dynamic response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Replaces whatever a view set (e.g. FileResponse's Last-Modified caching): no shared cache, no
        # browser cache, no back/forward cache may keep a copy of a dossier or a report.
        add_never_cache_headers(response)
        return response


class ToegangMiddleware:
    """A signed-in user without a role in the tool (not yet assigned, an operator, a superuser without a role)
    gets a 403 page with a Dutch message on every page of the workspace and the reports; the admin, log-in and
    log-out and static files stay reachable. Which dossiers and figures a user with a role sees is
    reintegratie.access's."""

    APPS = ("trajecten.", "rapportering.", "privacy.")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.shortcuts import render

        from . import access

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or access.heeft_toegang(user):
            return None
        if not getattr(view_func, "__module__", "").startswith(self.APPS):
            return None
        return render(request, "geen_toegang.html", status=403)
