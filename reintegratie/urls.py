from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("aanmelden/", auth_views.LoginView.as_view(), name="login"),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("rapportering/", include("rapportering.urls")),
    path("", include("trajecten.urls")),
]
