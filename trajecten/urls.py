from django.urls import path

from . import absence_views, intake_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("trajecten/", views.worklist, name="worklist"),
    path("trajecten/nieuw/", views.traject_nieuw, name="traject_nieuw"),
    path("afwezigheden/", absence_views.afwezigheden, name="afwezigheden"),
    path("afwezigheden/import/<int:pk>/", absence_views.afwezigheden_import, name="afwezigheden_import"),
    path("afwezigheden/zonder-traject/", absence_views.afwezig_zonder_traject, name="afwezig_zonder_traject"),
    path("ago/aanmeldingen/", intake_views.aanmeldingen, name="aanmeldingen"),
    path("ago/aanmeldingen/<int:pk>/", intake_views.aanmelding, name="aanmelding"),
    path("trajecten/<int:pk>/", views.dossier, name="dossier"),
    path("trajecten/<int:pk>/historiek/", views.historiek, name="historiek"),
    path("trajecten/<int:pk>/<slug:kind>/", views.actie, name="actie"),
    path("trajecten/<int:pk>/<slug:kind>/<int:part>/wijzigen/", views.wijzigen, name="wijzigen"),
    path("trajecten/<int:pk>/<slug:kind>/<int:part>/verwijderen/", views.verwijderen, name="verwijderen"),
]
