"""Entity codes: only letters, digits and hyphens, enforced by the model, the admin and the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from entiteiten.models import Entiteit, Gebruiker
from tests.factories import EntiteitFactory, GebruikerFactory

pytestmark = pytest.mark.django_db
BAD_CODES = ["AB\nC", "OK\n", "A B", 'A"B', "A/B", "A;B", "Ä", "A_B", "A.B", "\tA"]
MESSAGE = "Een code bestaat enkel uit letters (zonder accenten), cijfers en koppeltekens."


@pytest.mark.parametrize("code", BAD_CODES)
def test_model_validation_and_database_refuse_a_bad_code(code):
    ent = Entiteit(code=code, naam=f"Entiteit {code!r}", soort="iva", beleidsdomein="Omgeving")
    with pytest.raises(ValidationError) as err:
        ent.full_clean()
    assert err.value.message_dict["code"] == [MESSAGE]
    with pytest.raises(IntegrityError), transaction.atomic():
        ent.save()  # the check constraint, for whatever bypasses the forms


@pytest.mark.parametrize("code", ["OMG", "AWV-OW", "e123", "VAPH-2"])
def test_good_codes_are_accepted(code):
    ent = Entiteit(code=code, naam=code, soort="iva", beleidsdomein="Omgeving")
    ent.full_clean()
    ent.save()


def test_admin_refuses_a_bad_code_in_dutch(client):
    beheerder = GebruikerFactory(rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True)
    client.force_login(beheerder)
    data = {"code": "AB\nC", "naam": "Agentschap Nieuw", "soort": "iva", "beleidsdomein": "Omgeving"}
    response = client.post(reverse("admin:entiteiten_entiteit_add"), {**data, "actief": "on"})
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Entiteit.objects.filter(naam="Agentschap Nieuw").exists()

    ent = EntiteitFactory(code="GOED")
    response = client.post(
        reverse("admin:entiteiten_entiteit_change", args=[ent.pk]), {**data, "code": "GO ED"}
    )
    assert MESSAGE in response.content.decode()
    ent.refresh_from_db()
    assert ent.code == "GOED"
