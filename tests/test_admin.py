"""The operator's admin: every model has a working list with search and filters; dossiers are read-only
(every change to a dossier goes through the services, with their checks and the history reason)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from entiteiten.models import Gebruiker
from trajecten import models as m

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
    add = operator_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    read_only = opts.app_label == "trajecten" and model not in (m.Signaal, m.Notificatie)
    assert add.status_code == (403 if read_only else 200)


def test_dossier_in_admin_is_read_only(operator_client):
    t = m.Traject.objects.get()
    url = reverse("admin:trajecten_traject_change", args=[t.pk])
    page = operator_client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    before = (t.d0, t.leidinggevende)
    operator_client.post(url, {"d0": "01/01/2020", "leidinggevende": "X"})
    t.refresh_from_db()
    assert (t.d0, t.leidinggevende) == before
    assert (
        operator_client.post(
            reverse("admin:trajecten_traject_delete", args=[t.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert m.Traject.objects.filter(pk=t.pk).exists()


def test_every_dossier_model_is_in_admin():
    from django.apps import apps

    for model in apps.get_app_config("trajecten").get_models():
        if model.__name__.startswith("Historical"):
            continue
        assert model in admin.site._registry, model
