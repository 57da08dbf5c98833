"""The operator's admin: users and entities, with search and filters; no dossier and no report in it."""

import pytest
from django.contrib import admin
from django.urls import reverse

from entiteiten.models import Entiteit, Gebruiker
from rapportering.models import Rapport
from tests.factories import GebruikerFactory, TrajectFactory
from trajecten import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    user = GebruikerFactory(
        username="beheerder", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    TrajectFactory(personeelslid__achternaam="Geheimnaam")
    return client


@pytest.mark.parametrize("model", [Entiteit, Gebruiker])
def test_operator_manages_users_and_entities(operator_client, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert operator_client.get(url).status_code == 200
    assert operator_client.get(url, {"q": "Peeters"}).status_code == 200
    assert operator_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_no_dossier_model_in_the_admin():
    from django.apps import apps

    dossier_models = [x for x in apps.get_app_config("trajecten").get_models() if x is not m.Notificatie]
    assert [x for x in dossier_models if x in admin.site._registry] == []


@pytest.mark.parametrize("model", [m.Notificatie, Rapport])
def test_operational_status_is_read_only_and_names_no_one(operator_client, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    page = operator_client.get(url)
    assert page.status_code == 200 and "Geheimnaam" not in page.content.decode()
    assert operator_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    admin_of = admin.site._registry[model]
    assert "inhoud" not in admin_of.fields and "bestand" not in admin_of.fields


def test_admin_index_lists_no_dossiers(operator_client):
    html = operator_client.get(reverse("admin:index")).content.decode()
    assert "Gebruikers" in html and "Entiteiten" in html
    for name in ("Trajecten", "Personeelsleden", "Contacten en gesprekken"):
        assert name not in html
