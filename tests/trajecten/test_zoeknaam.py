"""The name search reads the trajectory's ``zoeknaam``, which the database keeps in step with the staff member
(migration trajecten 0012): on PostgreSQL here, on SQLite (the development default) in tests/test_sqlite_dev.py."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import PersoneelslidFactory, TrajectFactory
from tests.trajecten.test_corrections import form_data
from trajecten import models as m

pytestmark = pytest.mark.django_db


def zoeknaam(t) -> str:
    return m.Traject.objects.values_list("zoeknaam", flat=True).get(pk=t.pk)


def found(client, q: str) -> set[int]:
    html = client.get(reverse("worklist"), {"wie": "alle", "q": q}).content.decode()
    return {t.pk for t in m.Traject.objects.all() if reverse("dossier", args=[t.pk]) in html}


@pytest.fixture
def as_coach_a(client, coach_a):
    client.force_login(coach_a)
    return client


def test_a_new_trajectory_carries_its_staff_members_name_and_number(entiteit_a):
    lid = PersoneelslidFactory(entiteit=entiteit_a, voornaam="Ann", achternaam="Van den Bossche")
    t = TrajectFactory(personeelslid=lid)
    assert zoeknaam(t) == f"Ann Van den Bossche {lid.personeelsnummer}"


def test_renaming_the_staff_member_follows_on_every_trajectory(entiteit_a):
    lid = PersoneelslidFactory(entiteit=entiteit_a, voornaam="Els", achternaam="Peeters")
    closed = TrajectFactory(
        personeelslid=lid,
        d0=date(2025, 1, 6),
        status="afgesloten",
        afgesloten_op=date(2025, 3, 31),
        uitkomst="zelfde_functie",
    )
    open_ = TrajectFactory(personeelslid=lid)
    lid.achternaam = "Janssens"
    lid.save()
    assert {zoeknaam(closed), zoeknaam(open_)} == {f"Els Janssens {lid.personeelsnummer}"}
    # a set-based update (an import, the retention job) as well
    m.Personeelslid.objects.filter(pk=lid.pk).update(voornaam="Elsa", personeelsnummer="P-77")
    assert zoeknaam(open_) == "Elsa Janssens P-77"


def test_what_django_writes_into_it_is_replaced(entiteit_a):
    lid = PersoneelslidFactory(entiteit=entiteit_a, voornaam="Jan", achternaam="Maes")
    t = TrajectFactory(personeelslid=lid)
    stale = m.Traject.objects.get(pk=t.pk)  # read before the rename
    m.Personeelslid.objects.filter(pk=lid.pk).update(achternaam="Claes")
    stale.leidinggevende = "Nieuwe chef"
    stale.save()  # writes the old zoeknaam back ...
    assert zoeknaam(t) == f"Jan Claes {lid.personeelsnummer}"  # ... and the database keeps the right one
    m.Traject.objects.filter(pk=t.pk).update(zoeknaam="iets anders")
    assert zoeknaam(t) == f"Jan Claes {lid.personeelsnummer}"
    other = PersoneelslidFactory(entiteit=entiteit_a, voornaam="Pieter", achternaam="Aerts")
    m.Traject.objects.filter(pk=t.pk).update(personeelslid=other)
    assert zoeknaam(t) == f"Pieter Aerts {other.personeelsnummer}"


def test_search_words_each_in_a_name_or_the_number(as_coach_a, entiteit_a, entiteit_b):
    ann = TrajectFactory(
        personeelslid=PersoneelslidFactory(
            entiteit=entiteit_a, voornaam="Ann", achternaam="Peeters", personeelsnummer="P1234"
        )
    )
    jan = TrajectFactory(
        personeelslid=PersoneelslidFactory(
            entiteit=entiteit_a, voornaam="Jan", achternaam="Peeters", personeelsnummer="P5678"
        )
    )
    TrajectFactory(  # another entity's: never found
        personeelslid=PersoneelslidFactory(
            entiteit=entiteit_b, voornaam="Ann", achternaam="Peeters", personeelsnummer="P1234"
        )
    )
    assert found(as_coach_a, "peeters") == {ann.pk, jan.pk}
    assert found(as_coach_a, "ann PEETERS") == {ann.pk}  # every word must occur
    assert found(as_coach_a, "p5678") == {jan.pk}
    assert found(as_coach_a, "234") == {ann.pk}  # part of a number
    assert found(as_coach_a, "annpeeters") == set()  # a word does not run over two fields
    assert found(as_coach_a, "peeters p1") == {ann.pk}


def test_a_name_corrected_in_the_browser_is_found_under_the_new_name(as_coach_a, coach_a, entiteit_a):
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a, voornaam="Griet", achternaam="Wouters"),
        coach=coach_a,
    )
    url = reverse("actie", args=[t.pk, "gegevens"])
    data = form_data(as_coach_a.get(url).content.decode())
    response = as_coach_a.post(
        url, {**data, "achternaam": "Wauters", "wijzigingsreden": "Tikfout in de naam"}
    )
    assert response.status_code == 302
    assert found(as_coach_a, "Wauters") == {t.pk}
    assert found(as_coach_a, "Wouters") == set()
