"""factory_boy factories of the app's objects: the tests build with them, and so does the data generator
(``trajecten.generator``: ``.build()`` in memory, then ``bulk_create``)."""

from datetime import date, timedelta

import factory

from entiteiten.models import Entiteit, Gebruiker
from trajecten import models as m

PASSWORD = "test-wachtwoord-123"  # noqa: S105 - the test users' password


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


class GebruikerMetHashFactory(GebruikerFactory):
    """A user with a given password hash (``password=``): the data generator hashes once for all its users."""

    password = "!"  # noqa: S105 - an unusable password unless a hash is given


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


class GesprekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Gesprek

    traject = factory.SubFactory(TrajectFactory)
    datum = factory.LazyAttribute(lambda o: o.traject.d0)
    soort = m.Gesprek.Soort.GESPREK
    vorm = m.Gesprek.Vorm.TELEFOON
    gevoerd_door = m.Gesprek.Door.COACH


class InschattingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Inschatting

    traject = factory.SubFactory(TrajectFactory)
    datum = factory.LazyAttribute(lambda o: o.traject.d0)
    uitkomst = "stappen_mogelijk"


class StappenplanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Stappenplan

    traject = factory.SubFactory(TrajectFactory)
    inschatting = factory.SubFactory(InschattingFactory, traject=factory.SelfAttribute("..traject"))
    datum = factory.LazyAttribute(lambda o: o.inschatting.datum)
    afspraken = "Halftijds starten"


class MaatregelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Maatregel

    stappenplan = factory.SubFactory(StappenplanFactory)
    soort = m.Maatregel.Soort.AANGEPASTE_UREN


class BetrokkenheidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Betrokkenheid

    traject = factory.SubFactory(TrajectFactory)
    actor = m.Betrokkenheid.Actor.ARBEIDSARTS
    vanaf = factory.LazyAttribute(lambda o: o.traject.d0)


class VerlengingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Verlenging

    traject = factory.SubFactory(TrajectFactory)
    toegekend_op = factory.LazyAttribute(lambda o: o.traject.d0)
    nieuwe_datum = factory.LazyAttribute(lambda o: o.toegekend_op + timedelta(days=90))
    reden = "Advies van het SMT nodig"


class HervalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Herval

    traject = factory.SubFactory(TrajectFactory)
    hervat_op = factory.LazyAttribute(lambda o: o.traject.d0 + timedelta(days=30))
    hervatting_vorm = m.Traject.HervattingVorm.VOLLEDIG
    datum = factory.LazyAttribute(lambda o: o.hervat_op + timedelta(days=20))


class EvaluatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Evaluatie

    traject = factory.SubFactory(TrajectFactory)
    datum = factory.LazyAttribute(lambda o: o.traject.werkhervatting_op)
    gevoerd_door = m.Gesprek.Door.LEIDINGGEVENDE


class FormeelVerloopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.FormeelVerloop

    traject = factory.SubFactory(TrajectFactory, soort=m.Traject.Soort.FORMEEL)
    aanvrager = m.FormeelVerloop.Aanvrager.PERSONEELSLID
    aanvraag_ontvangen_op = factory.LazyAttribute(lambda o: o.traject.d0 + timedelta(days=10))


class AanmeldingFactory(factory.django.DjangoModelFactory):
    """A trajectory's request to AgO (entity-crossing), as the coach of its entity makes it."""

    class Meta:
        model = m.Aanmelding

    traject = factory.SubFactory(TrajectFactory)
    aangemeld_op = factory.LazyAttribute(lambda o: o.traject.d0 + timedelta(days=90))
    aangemeld_door = factory.SubFactory(
        GebruikerFactory, entiteit=factory.SelfAttribute("..traject.entiteit")
    )
    motivatie = "Geen aangepaste functie mogelijk binnen de entiteit"


class OnderzoekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Onderzoek

    traject = factory.SubFactory(TrajectFactory)
    soort = m.Onderzoek.Soort.ONDERZOEK_BIJ_WERKHERVATTING
    datum = factory.LazyAttribute(lambda o: o.traject.werkhervatting_op or o.traject.d0)


class AfwezigheidImportFactory(factory.django.DjangoModelFactory):
    """An upload of absence periods from the personnel system, read without refused lines."""

    class Meta:
        model = m.AfwezigheidImport

    status = m.AfwezigheidImport.Status.KLAAR
    bestandsnaam = "afwezigheden.csv"


class NotificatieFactory(factory.django.DjangoModelFactory):
    """A recorded, unsent e-mail (a coach's digest)."""

    class Meta:
        model = m.Notificatie

    soort = m.Notificatie.Soort.DIGEST
    ontvanger = factory.SubFactory(GebruikerFactory, email=factory.Sequence(lambda n: f"coach{n}@example.be"))
    sleutel = factory.Sequence(lambda n: f"2026-04-01/{n}")
    onderwerp = "Termijnen van vandaag"
    inhoud = factory.Sequence(lambda n: f"Overzicht {n}")


class AfwezigheidFactory(factory.django.DjangoModelFactory):
    """A sickness-absence period as the personnel system records it (still running without laatste_dag)."""

    class Meta:
        model = m.Afwezigheid

    entiteit = factory.SubFactory(EntiteitFactory)
    personeelsnummer = factory.Sequence(lambda n: f"P{n:06d}")
    eerste_dag = date(2026, 1, 31)
