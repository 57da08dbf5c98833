from django.contrib import admin
from django.urls import include, path

from entiteiten import oidc

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("aanmelden/", oidc.AanmeldenView.as_view(), name="login"),
    path("aanmelden/oidc/", oidc.oidc_start, name="oidc_authentication_init"),
    path("aanmelden/oidc/callback/", oidc.oidc_callback, name="oidc_authentication_callback"),
    path("afmelden/", oidc.AfmeldenView.as_view(), name="logout"),
    path("rapportering/", include("rapportering.urls")),
    path("", include("trajecten.urls")),
]
