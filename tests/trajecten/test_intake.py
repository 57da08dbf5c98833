"""Entity-crossing trajectories through AgO, HR's access by consent, and users without a role: over HTTP."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D0 = TODAY - timedelta(days=120)


def d(day):
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def t(entiteit_a, coach_a):
    return TrajectFactory(
        personeelslid=PersoneelslidFactory(
            entiteit=entiteit_a, achternaam="Claeys", personeelsnummer="P555001"
        ),
        d0=D0,
        coach=coach_a,
    )


def as_user(client, user):
    client.force_login(user)
    return client


def test_ago_intake_from_request_to_target_entity(client, t, coach_a, coach_b, ago, entiteit_b):
    c = as_user(client, coach_a)
    url = reverse("actie", args=[t.pk, "aanmelden_ago"])
    assert "Aanmelden bij AgO" in c.get(reverse("dossier", args=[t.pk])).content.decode()
    assert c.post(url, {"motivatie": ""}).status_code == 200  # a motivation is required
    assert (
        c.post(url, {"motivatie": "Geen aangepaste functie mogelijk in de eigen entiteit"}).status_code == 302
    )
    request = m.Aanmelding.objects.get()
    assert (request.status, request.aangemeld_door) == ("aangemeld", coach_a)
    # asked once: the action is gone from the dossier, a second request is refused
    assert c.get(url).status_code == 409
    html = c.get(reverse("worklist"), {"wie": "alle", "overschrijdend": "aangemeld"}).content.decode()
    assert "Claeys" in html
    # the target entity's coach does not see it yet, nor the queue
    c = as_user(client, coach_b)
    assert c.get(reverse("dossier", args=[t.pk])).status_code == 404
    assert c.get(reverse("aanmeldingen")).status_code == 404
    assert c.get(reverse("aanmelding", args=[request.pk])).status_code == 404

    c = as_user(client, ago)
    assert "Claeys" in c.get(reverse("aanmeldingen")).content.decode()
    page = reverse("aanmelding", args=[request.pk])
    # a target entity cannot be recorded before the request is accepted
    response = c.post(
        page,
        {"beslissing": "doelentiteit", "doel-doelentiteit": entiteit_b.pk, "doel-doelentiteit_op": d(TODAY)},
    )
    assert m.Traject.objects.get(pk=t.pk).doel_entiteit is None
    assert response.status_code == 200
    begeleider = GebruikerFactory(
        username="ago.begeleider", rol="ago", entiteit=None, first_name="Ilse", last_name="Goossens"
    )
    assert (
        c.post(page, {"beslissing": "aanvaarden", "aanvaarden-trajectbegeleider": begeleider.pk}).status_code
        == 302
    )
    request.refresh_from_db()
    assert (request.status, request.trajectbegeleider) == ("aanvaard", begeleider)
    assert c.get(reverse("dossier", args=[t.pk])).status_code == 200
    # the own entity cannot be the target
    c.post(
        page,
        {"beslissing": "doelentiteit", "doel-doelentiteit": t.entiteit_id, "doel-doelentiteit_op": d(TODAY)},
    )
    assert m.Traject.objects.get(pk=t.pk).doel_entiteit is None
    assert (
        c.post(
            page,
            {
                "beslissing": "doelentiteit",
                "doel-doelentiteit": entiteit_b.pk,
                "doel-doelentiteit_op": d(TODAY),
            },
        ).status_code
        == 302
    )
    t.refresh_from_db()
    assert t.doel_entiteit == entiteit_b

    # from now on the target entity's coach takes part
    c = as_user(client, coach_b)
    html = c.get(reverse("dossier", args=[t.pk])).content.decode()
    assert "Doelentiteit gevonden" in html and "Ilse Goossens" in html
    assert "Aanmelden bij AgO" not in html  # only the own entity asks
    assert c.get(reverse("actie", args=[t.pk, "aanmelden_ago"])).status_code in (404, 409)
    history = c.get(reverse("historiek", args=[t.pk])).content.decode()
    assert "Doelentiteit vastgelegd door AgO" in history


def test_ago_refuses_with_a_reason_and_a_new_request_may_follow(client, t, coach_a, ago):
    c = as_user(client, coach_a)
    c.post(reverse("actie", args=[t.pk, "aanmelden_ago"]), {"motivatie": "Eerste vraag"})
    request = m.Aanmelding.objects.get()
    c = as_user(client, ago)
    page = reverse("aanmelding", args=[request.pk])
    assert c.post(page, {"beslissing": "weigeren", "weigeren-weigerreden": ""}).status_code == 200
    assert (
        c.post(
            page,
            {
                "beslissing": "weigeren",
                "weigeren-weigerreden": "Eerst aangepast werk in de eigen entiteit proberen",
            },
        ).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.status == "geweigerd"
    c = as_user(client, coach_a)
    html = c.get(reverse("dossier", args=[t.pk])).content.decode()
    assert "Geweigerd door AgO" in html and "Eerst aangepast werk" in html
    assert (
        "Claeys"
        in c.get(reverse("worklist"), {"wie": "alle", "overschrijdend": "geweigerd"}).content.decode()
    )
    assert (
        c.post(reverse("actie", args=[t.pk, "aanmelden_ago"]), {"motivatie": "Tweede vraag"}).status_code
        == 302
    )
    assert m.Aanmelding.objects.count() == 2
    assert (
        "Claeys"
        not in c.get(reverse("worklist"), {"wie": "alle", "overschrijdend": "geweigerd"}).content.decode()
    )


def test_nobody_but_ago_sets_the_target_entity(client, coach_a, entiteit_b):
    c = as_user(client, coach_a)
    data = {
        "personeelsnummer": "P555002",
        "voornaam": "Jan",
        "achternaam": "Smets",
        "statuut": "statutair",
        "soort": "informeel",
        "d0": d(D0),
        "doel_entiteit": entiteit_b.pk,  # not a field of the registration form: ignored
    }
    assert c.post(reverse("traject_nieuw"), data).status_code == 302
    assert m.Traject.objects.get().doel_entiteit is None


def test_hr_sees_a_dossier_only_as_case_manager_or_with_consent(client, t, coach_a, hr_a):
    c = as_user(client, hr_a)
    assert c.get(reverse("dossier", args=[t.pk])).status_code == 404
    assert "Claeys" not in c.get(reverse("worklist")).content.decode()
    # the coach records HR's involvement with the staff member's consent
    c = as_user(client, coach_a)
    url = reverse("actie", args=[t.pk, "betrokkenheid"])
    html = c.post(url, {"actor": "hr", "vanaf": d(TODAY)}).content.decode()
    assert "Dit veld is verplicht" in html  # the consent date
    assert c.post(url, {"actor": "hr", "vanaf": d(TODAY), "toestemming_op": d(TODAY)}).status_code == 302
    c = as_user(client, hr_a)
    assert c.get(reverse("dossier", args=[t.pk])).status_code == 200
    assert "Claeys" in c.get(reverse("worklist")).content.decode()
    # the staff member withdraws the consent: HR's access ends
    b = m.Betrokkenheid.objects.get()
    c = as_user(client, coach_a)
    edit = reverse("wijzigen", args=[t.pk, "betrokkenheid", b.pk])
    data = {
        "actor": "hr",
        "vanaf": d(TODAY),
        "toestemming_op": d(TODAY),
        "toestemming_ingetrokken_op": d(TODAY - timedelta(days=1)),
    }
    assert "mag niet vóór de toestemming" in c.post(edit, {**data, "wijzigingsreden": "x"}).content.decode()
    data["toestemming_ingetrokken_op"] = d(TODAY)
    assert c.post(edit, {**data, "wijzigingsreden": "Toestemming ingetrokken"}).status_code == 302
    c = as_user(client, hr_a)
    assert c.get(reverse("dossier", args=[t.pk])).status_code == 404


def test_hr_as_case_manager_registers_and_follows_up(client, hr_a, coach_a):
    c = as_user(client, hr_a)
    data = {
        "personeelsnummer": "P555003",
        "voornaam": "Eva",
        "achternaam": "Pauwels",
        "statuut": "contractueel",
        "soort": "informeel",
        "d0": d(D0),
    }
    response = c.post(reverse("traject_nieuw"), data)
    traject = m.Traject.objects.get()
    assert response["Location"] == reverse("dossier", args=[traject.pk])  # no coach: HR manages it
    # registered for a coach: HR is told it has no access to the dossier
    response = c.post(
        reverse("traject_nieuw"), {**data, "personeelsnummer": "P555004", "coach": coach_a.pk}, follow=True
    )
    assert "U hebt geen inzage (meer) in dit dossier." in response.content.decode()


@pytest.mark.parametrize("kind", ["geen_rol", "beheerder", "superuser"])
def test_users_without_a_role_see_only_a_message(client, t, kind):
    user = {
        "geen_rol": lambda: GebruikerFactory(username="nieuw", rol="", entiteit=None),
        "beheerder": lambda: GebruikerFactory(
            username="beheer", rol="beheerder", entiteit=None, is_staff=True
        ),
        "superuser": lambda: GebruikerFactory(
            username="root", rol="", entiteit=None, is_staff=True, is_superuser=True
        ),
    }[kind]()
    c = as_user(client, user)
    for url in (
        reverse("worklist"),
        reverse("dossier", args=[t.pk]),
        reverse("traject_nieuw"),
        reverse("dashboard"),
        reverse("rapporten"),
        reverse("aanmeldingen"),
    ):
        response = c.get(url)
        assert response.status_code == 403, url
        html = response.content.decode()
        assert "geen toegang" in html and "Claeys" not in html
    if user.is_staff:
        assert reverse("admin:index") in c.get(reverse("worklist")).content.decode()
