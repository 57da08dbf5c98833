from django.contrib import admin
from django.db import transaction
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from entiteiten import oidc


@transaction.non_atomic_requests
def favicon(request):
    """Browsers ask /favicon.ico where a response has no <link rel="icon"> (a PDF, a download)."""
    return redirect(static("img/favicon.ico"), permanent=True)


urlpatterns = [
    path("beheer/", admin.site.urls),
    path("aanmelden/", oidc.AanmeldenView.as_view(), name="login"),
    path("aanmelden/oidc/", oidc.oidc_start, name="oidc_authentication_init"),
    path("aanmelden/oidc/callback/", oidc.oidc_callback, name="oidc_authentication_callback"),
    path("afmelden/", oidc.AfmeldenView.as_view(), name="logout"),
    path("favicon.ico", favicon),
    path("rapportering/", include("rapportering.urls")),
    path("privacy/", include("privacy.urls")),
    path("", include("trajecten.urls")),
]
