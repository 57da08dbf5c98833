"""The factories live in the app (trajecten.factories: the data generator uses them too); the report's
factory, with its stored file, is the tests' own."""

import factory
from django.core.files.base import ContentFile

from rapportering.models import Rapport
from trajecten.factories import (  # noqa: F401 - re-exported for the tests
    PASSWORD,
    AanmeldingFactory,
    AfwezigheidFactory,
    AfwezigheidImportFactory,
    BetrokkenheidFactory,
    EntiteitFactory,
    EvaluatieFactory,
    FormeelVerloopFactory,
    GebruikerFactory,
    GesprekFactory,
    HervalFactory,
    InschattingFactory,
    MaatregelFactory,
    NotificatieFactory,
    OnderzoekFactory,
    PersoneelslidFactory,
    StappenplanFactory,
    TrajectFactory,
    VerlengingFactory,
)


class RapportFactory(factory.django.DjangoModelFactory):
    """A finished VO-wide report with a small stored file (MEDIA_ROOT: point it at tmp_path)."""

    class Meta:
        model = Rapport
        skip_postgeneration_save = True

    soort = Rapport.Soort.HOC_CSV
    jaar = 2025
    status = Rapport.Status.KLAAR

    @factory.post_generation
    def bestand_inhoud(obj, create, extracted, **kwargs):
        if create:
            obj.bestand.save(obj.bestandsnaam, ContentFile(extracted or b"a;b\n"))
