"""Access by role and entity, checked on the one function every view uses."""

import pytest

from entiteiten.models import Gebruiker
from trajecten.access import zichtbare_trajecten

from .factories import EntiteitFactory, GebruikerFactory, PersoneelslidFactory, TrajectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajecten(entiteit_a, entiteit_b):
    c = EntiteitFactory(code="CCC")
    return {
        "a": TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a)),
        "b": TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_b)),
        "a_naar_b": TrajectFactory(
            personeelslid=PersoneelslidFactory(entiteit=entiteit_a), doel_entiteit=entiteit_b
        ),
        "c": TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=c)),
    }


def visible(user, trajecten):
    ids = set(zichtbare_trajecten(user).values_list("pk", flat=True))
    return {name for name, t in trajecten.items() if t.pk in ids}


def test_coach_sees_own_entity_and_crossing(coach_a, coach_b, trajecten):
    assert visible(coach_a, trajecten) == {"a", "a_naar_b"}
    assert visible(coach_b, trajecten) == {"b", "a_naar_b"}


def test_hr_sees_own_entity(hr_a, trajecten):
    assert visible(hr_a, trajecten) == {"a", "a_naar_b"}


def test_ago_sees_everything(ago, trajecten):
    assert visible(ago, trajecten) == set(trajecten)


def test_inactive_or_roleless_sees_nothing(coach_a, trajecten):
    coach_a.is_active = False
    assert visible(coach_a, trajecten) == set()
    beheerder_zonder_ago = GebruikerFactory(
        username="x", rol=Gebruiker.Rol.HR, entiteit=EntiteitFactory(code="ZZZ")
    )
    assert visible(beheerder_zonder_ago, trajecten) == set()
