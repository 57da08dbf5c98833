from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.<slug:fmt>", views.export, name="export"),
    path("dashboard/herberekenen/", views.herberekenen, name="herberekenen"),
    path("rapporten/", views.rapporten, name="rapporten"),
    path("rapporten/aanvragen/", views.aanvragen, name="rapporten_aanvragen"),
    path("rapporten/extract/aanvragen/", views.extract_aanvragen, name="extract_aanvragen"),
    path("rapporten/<int:pk>/download/", views.download, name="rapport_download"),
]
