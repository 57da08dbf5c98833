"""Who sees which dossier, checked on the one function every view, filter and export uses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from entiteiten.models import Gebruiker
from reintegratie import access
from tests.factories import (
    BetrokkenheidFactory,
    EntiteitFactory,
    GebruikerFactory,
    PersoneelslidFactory,
    TrajectFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def trajecten(entiteit_a, entiteit_b, coach_a):
    c = EntiteitFactory(code="CCC")
    return {
        "a": TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), coach=coach_a),
        "a_zonder_coach": TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), coach=None),
        "b": TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_b)),
        "a_naar_b": TrajectFactory(
            personeelslid=PersoneelslidFactory(entiteit=entiteit_a), doel_entiteit=entiteit_b, coach=coach_a
        ),
        "c": TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=c)),
    }


def visible(user, trajecten):
    ids = set(access.zichtbare_trajecten(user).values_list("pk", flat=True))
    return {name for name, t in trajecten.items() if t.pk in ids}


def test_coach_sees_own_entity_and_crossing_once_target(coach_a, coach_b, trajecten):
    assert visible(coach_a, trajecten) == {"a", "a_zonder_coach", "a_naar_b"}
    assert visible(coach_b, trajecten) == {"b", "a_naar_b"}


def test_hr_sees_only_as_case_manager_or_with_consent(hr_a, trajecten):
    # no coach: HR is the case manager
    assert visible(hr_a, trajecten) == {"a_zonder_coach"}
    consent = BetrokkenheidFactory(
        traject=trajecten["a"], actor="hr", toestemming_op=TODAY - timedelta(days=3)
    )
    assert visible(hr_a, trajecten) == {"a_zonder_coach", "a"}
    # a consent to another actor does not open the dossier to HR
    BetrokkenheidFactory(traject=trajecten["a_naar_b"], actor="arbeidsarts", toestemming_op=TODAY)
    assert "a_naar_b" not in visible(hr_a, trajecten)
    # withdrawing the consent ends the access (from the day of the withdrawal)
    consent.toestemming_ingetrokken_op = TODAY
    consent.save()
    assert visible(hr_a, trajecten) == {"a_zonder_coach"}
    # a consent dated in the future does not count yet
    consent.toestemming_op, consent.toestemming_ingetrokken_op = TODAY + timedelta(days=1), None
    consent.save()
    assert visible(hr_a, trajecten) == {"a_zonder_coach"}


def test_ago_sees_everything(ago, trajecten):
    assert visible(ago, trajecten) == set(trajecten)


def test_operator_superuser_roleless_and_inactive_see_nothing(coach_a, trajecten):
    operator = GebruikerFactory(username="op", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True)
    superuser = GebruikerFactory(username="su", rol="", entiteit=None, is_staff=True, is_superuser=True)
    roleless = GebruikerFactory(username="nieuw", rol="", entiteit=None)
    for user in (operator, superuser, roleless):
        assert visible(user, trajecten) == set()
        assert not access.heeft_toegang(user) and not user.is_ago
        assert not access.mag_registreren(user) and not access.mag_rapportering(user)
        assert list(access.zichtbare_entiteiten(user)) == []
    coach_a.is_active = False
    assert visible(coach_a, trajecten) == set()


def test_role_checks(coach_a, hr_a, ago, trajecten):
    assert access.mag_rapport_aanvragen(hr_a) and access.mag_rapport_aanvragen(ago)
    assert not access.mag_rapport_aanvragen(coach_a)
    assert access.mag_intake(ago) and not access.mag_intake(coach_a) and not access.mag_intake(hr_a)
    assert access.mag_aanmelden_bij_ago(coach_a, trajecten["a"])
    assert access.mag_aanmelden_bij_ago(hr_a, trajecten["a_zonder_coach"])  # HR as case manager
    assert not access.mag_aanmelden_bij_ago(hr_a, trajecten["a"])
    assert list(access.zichtbare_entiteiten(coach_a)) == [coach_a.entiteit]
