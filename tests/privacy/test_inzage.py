"""The staff member's access request (GDPR art. 15): one PDF with everything the tool holds about them."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from entiteiten.models import Gebruiker
from privacy.dossier import graph, member_ids
from privacy.models import ReadLogEntry
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(entiteit_a):
    return PersoneelslidFactory(
        entiteit=entiteit_a, voornaam="Griet", achternaam="Vandamme", personeelsnummer="P424242"
    )


@pytest.fixture
def dossier(person, coach_a, entiteit_a):
    """An informal trajectory converted into a formal one, with every kind of part, a correction with its
    reason, a signal and an e-mail that also names someone else."""
    informeel = TrajectFactory(
        personeelslid=person,
        coach=coach_a,
        d0=date(2026, 1, 5),
        leidinggevende="Koen Wouters",
        status="afgesloten",
        afgesloten_op=date(2026, 5, 1),
        uitkomst="omgezet_formeel",
    )
    formeel = TrajectFactory(
        personeelslid=person, coach=coach_a, soort="formeel", d0=date(2026, 1, 5), voortgezet_van=informeel
    )
    m.FormeelVerloop.objects.create(
        traject=formeel, aanvrager="personeelslid", aanvraag_ontvangen_op=date(2026, 5, 2)
    )
    gesprek = m.Gesprek.objects.create(
        traject=informeel,
        datum=date(2026, 2, 10),
        vorm="telefoon",
        gevoerd_door="coach",
        uitkomst="Wil graag terug naar het team",
    )
    ins = m.Inschatting.objects.create(
        traject=informeel, datum=date(2026, 2, 20), uitkomst="stappen_mogelijk", toelichting="Halftijds"
    )
    plan = m.Stappenplan.objects.create(
        traject=informeel, inschatting=ins, datum=date(2026, 3, 1), afspraken="Start op maandag"
    )
    m.Maatregel.objects.create(stappenplan=plan, soort="aangepaste_uren", omschrijving="Voormiddagen")
    m.Betrokkenheid.objects.create(traject=informeel, actor="smt", vanaf=date(2026, 2, 15))
    m.Verlenging.objects.create(
        traject=informeel, toegekend_op=date(2026, 4, 1), nieuwe_datum=date(2026, 5, 20), reden="Advies SMT"
    )
    m.Herval.objects.create(traject=informeel, hervat_op=date(2026, 3, 2), datum=date(2026, 3, 20))
    m.Evaluatie.objects.create(
        traject=informeel, datum=date(2026, 3, 15), gevoerd_door="coach", verslag="Loopt goed"
    )
    m.Signaal.objects.create(
        traject=formeel,
        soort="te_laat",
        mijlpaal="formeel_beoordeling",
        vervaldatum=date(2026, 6, 20),
        opgemerkt_op=date(2026, 6, 21),
    )
    gesprek.uitkomst, gesprek._change_reason = "Wil terug naar het eigen team", "Tikfout verbeterd"
    gesprek.save()
    other = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a, personeelsnummer="P777777")
    )
    m.Notificatie.objects.create(
        soort="digest",
        ontvanger=coach_a,
        sleutel="2026-06-21",
        onderwerp="Re-integratie: overzicht van 21/06/2026",
        inhoud=(
            f"- personeelsnummer P424242: Re-integratiebeoordeling – termijn overschreden\n"
            f"  http://127.0.0.1:8000/trajecten/{formeel.pk}/\n"
            f"- personeelsnummer P777777: Gesprek – termijn overschreden\n"
            f"  http://127.0.0.1:8000/trajecten/{other.pk}/\n"
        ),
    )
    ReadLogEntry.objects.create(gebruiker=coach_a, soort="dossier", traject_id=informeel.pk, view="dossier")
    return informeel, formeel


def pdf_text(response) -> str:
    reader = PdfReader(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return "\n".join(page.extract_text() for page in reader.pages)


def test_ago_gets_everything_about_the_staff_member(client, ago, person, dossier):
    informeel, formeel = dossier
    client.force_login(ago)
    response = client.get(reverse("inzageverzoek", args=[person.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert f"inzageverzoek-{person.pk}-" in disposition and "Vandamme" not in disposition
    text = re.sub(r"\s+", " ", pdf_text(response))

    today = timezone.localdate().strftime("%d/%m/%Y")
    assert "Inzage in uw gegevens (AVG, artikel 15)" in text and f"Opgemaakt op: {today}" in text
    for expected in (
        "Griet Vandamme (P424242)",
        f"Traject {informeel.pk}: Informeel re-integratietraject",
        f"Traject {formeel.pk}: Formeel re-integratietraject",
        "Koen Wouters",  # the leidinggevende
        "Wil terug naar het eigen team",  # a part, as it is now
        "Start op maandag",
        "Voormiddagen",
        "Advies SMT",
        "Loopt goed",
        "Sociaal Medisch Team (SMT)",
        "Re-integratiebeoordeling door arbeidsarts (49 dagen)",  # the signal, with its label
        "Wil graag terug naar het team",  # history: the value before the correction
        "Tikfout verbeterd",  # ... and the reason given
        "Re-integratie: overzicht van 21/06/2026",  # the e-mail ...
        "personeelsnummer P424242",  # ... its lines about them
        f"/trajecten/{formeel.pk}/",
        "Dossier bekeken",  # who read the dossier
    ):
        assert expected in text, expected
    assert "P777777" not in text  # the same e-mail's line about someone else is left out
    # every kind of record in the dossier graph that this staff member has shows up
    ids = member_ids([person.pk])
    kinds = [n for n in graph() if n.depth > 1 and ids.get(n.model)]
    assert len(kinds) >= 10
    for node in kinds:
        assert str(node.model._meta.verbose_name_plural).capitalize() in text, node.label
    assert ReadLogEntry.objects.filter(soort="inzageverzoek", personeelslid_id=person.pk).count() == 1


def test_the_pdf_is_tagged_for_accessibility(client, ago, person, dossier):
    client.force_login(ago)
    response = client.get(reverse("inzageverzoek", args=[person.pk]))
    root = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "nl-BE"


def test_the_coach_of_a_dossier_may_ask_and_others_may_not(client, person, dossier, coach_a, hr_a, coach_b):
    colleague = GebruikerFactory(
        username="coach.a2", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=coach_a.entiteit
    )
    url = reverse("inzageverzoek", args=[person.pk])
    client.force_login(coach_a)
    assert client.get(url).status_code == 200
    for user in (colleague, hr_a, coach_b):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(reverse("inzageverzoek", args=[999999])).status_code == 302
    client.force_login(coach_a)
    assert client.get(reverse("inzageverzoek", args=[999999])).status_code == 404


def test_the_dossier_page_offers_it_to_the_coach_and_the_read_log_to_ago(client, dossier, coach_a, ago, hr_a):
    informeel, _ = dossier
    url = reverse("dossier", args=[informeel.pk])
    pdf = reverse("inzageverzoek", args=[informeel.personeelslid_id])
    log = reverse("raadplegingen", args=[informeel.pk])
    client.force_login(coach_a)
    html = client.get(url).content.decode()
    assert pdf in html and log not in html
    client.force_login(ago)
    html = client.get(url).content.decode()
    assert pdf in html and log in html
    client.force_login(hr_a)
    html = client.get(url).content.decode()
    assert pdf not in html and log not in html
