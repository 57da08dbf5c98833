"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from reintegratie.urls import urlpatterns as project_urls


def forbidden(request):
    raise PermissionDenied


def bad_request(request):
    raise SuspiciousOperation("test")


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-fout/403/", forbidden),
    path("test-fout/400/", bad_request),
    path("test-fout/500/", crash),
    *project_urls,
]
