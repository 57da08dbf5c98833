"""The operator's admin: every model has a working list with search and filters, and an add form."""

import pytest
from django.contrib import admin
from django.urls import reverse

from entiteiten.models import Gebruiker

from .factories import GebruikerFactory, TrajectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    user = GebruikerFactory(
        username="beheerder", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    TrajectFactory()
    return client


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in ("entiteiten", "trajecten", "rapportering")],
)
def test_changelist_search_and_add(operator_client, model):
    opts = model._meta
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert operator_client.get(url).status_code == 200
    if model_admin.search_fields:
        assert operator_client.get(url, {"q": "Peeters"}).status_code == 200
    assert operator_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_every_dossier_model_is_in_admin():
    from django.apps import apps

    for model in apps.get_app_config("trajecten").get_models():
        if model.__name__.startswith("Historical"):
            continue
        assert model in admin.site._registry, model
