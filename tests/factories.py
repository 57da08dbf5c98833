from datetime import date

import factory

from entiteiten.models import Entiteit, Gebruiker
from trajecten import models as m

PASSWORD = "test-wachtwoord-123"


class EntiteitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entiteit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E{n:03d}")
    naam = factory.LazyAttribute(lambda o: f"Entiteit {o.code}")
    soort = Entiteit.Soort.IVA
    beleidsdomein = "Kanselarij en Buitenlandse Zaken"


class GebruikerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebruiker
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker{n}")
    rol = Gebruiker.Rol.TERUGKEERCOACH
    entiteit = factory.SubFactory(EntiteitFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersoneelslidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Personeelslid

    personeelsnummer = factory.Sequence(lambda n: f"P{n:06d}")
    voornaam = "An"
    achternaam = factory.Sequence(lambda n: f"Peeters{n}")
    statuut = m.Personeelslid.Statuut.STATUTAIR
    entiteit = factory.SubFactory(EntiteitFactory)
    functie = "Beleidsmedewerker"


class TrajectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Traject

    soort = m.Traject.Soort.INFORMEEL
    personeelslid = factory.SubFactory(PersoneelslidFactory)
    entiteit = factory.LazyAttribute(lambda o: o.personeelslid.entiteit)
    d0 = date(2026, 1, 31)
    leidinggevende = "Lies Janssens"
