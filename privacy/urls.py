from django.urls import path

from . import views

urlpatterns = [
    path("personeelsleden/<int:pk>/inzageverzoek/", views.inzageverzoek, name="inzageverzoek"),
    path("trajecten/<int:pk>/raadplegingen/", views.raadplegingen, name="raadplegingen"),
]
