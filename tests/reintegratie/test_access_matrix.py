"""The access matrix: every URL pattern of the project × every role × own / other / entity-crossing objects.

The expectations are written here, from README's "Who sees what", independently of reintegratie.access:
which status each role gets, and that no response body (HTML, CSV, XLSX, PDF text) names a staff member of a
dossier the role may not see. A URL pattern without an entry below fails the test: a new page must say who
may open it.
"""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from entiteiten.models import Gebruiker
from rapportering.models import Rapport
from tests.factories import (
    BetrokkenheidFactory,
    EntiteitFactory,
    GebruikerFactory,
    GesprekFactory,
    PersoneelslidFactory,
    TrajectFactory,
)
from trajecten import models as m

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D0 = TODAY - timedelta(days=120)

ROLES = ("anoniem", "geen_rol", "beheerder", "coach_a", "coach_b", "hr_a", "ago")
# Dossiers, and who may see each (the specification, not the implementation):
#   a           coach-managed dossier of entity A, no consent for HR
#   a_hr        dossier of A without a coach: HR is its case manager
#   a_consent   coach-managed dossier of A, the staff member consented to HR's involvement
#   b           dossier of entity B
#   a_asked     A's dossier asked for at AgO (accepted), no target entity yet
#   a_to_b      A's dossier with target entity B, recorded by AgO
SEES = {
    "anoniem": set(),
    "geen_rol": set(),
    "beheerder": set(),
    "coach_a": {"a", "a_hr", "a_consent", "a_asked", "a_to_b"},
    "coach_b": {"b", "a_to_b"},
    "hr_a": {"a_hr", "a_consent"},
    "ago": {"a", "a_hr", "a_consent", "b", "a_asked", "a_to_b"},
}
WORKSPACE = {"coach_a", "coach_b", "hr_a", "ago"}  # a role in the tool
COACH_OF = {"coach_a": {"a", "a_consent", "a_asked", "a_to_b"}, "coach_b": {"b"}, "hr_a": set()}  # the coach
REPORTS_OF = {"coach_a": {"A"}, "coach_b": {"B"}, "hr_a": {"A"}, "ago": {"A", "B", "HOC"}}


@pytest.fixture
def world(db):
    ent_a = EntiteitFactory(code="AAA", naam="Departement A")
    ent_b = EntiteitFactory(code="BBB", naam="Agentschap B")
    users = {
        "geen_rol": GebruikerFactory(username="nieuw", rol="", entiteit=None),
        "beheerder": GebruikerFactory(
            username="beheer", rol="beheerder", entiteit=None, is_staff=True, is_superuser=True
        ),
        "coach_a": GebruikerFactory(username="coach.a", rol="terugkeercoach", entiteit=ent_a),
        "coach_b": GebruikerFactory(username="coach.b", rol="terugkeercoach", entiteit=ent_b),
        "hr_a": GebruikerFactory(username="hr.a", rol="hr", entiteit=ent_a),
        "ago": GebruikerFactory(username="ago", rol="ago", entiteit=None),
    }

    def dossier(name, ent, coach, **kw):
        lid = PersoneelslidFactory(
            entiteit=ent,
            achternaam=f"Geheim{name.replace('_', '').upper()}Z",
            personeelsnummer=f"PNX{name.upper().replace('_', '')}Z",
        )
        t = TrajectFactory(personeelslid=lid, d0=D0, coach=coach, **kw)
        GesprekFactory(traject=t, datum=D0 + timedelta(days=5))
        return t

    objs = {
        "a": dossier("a", ent_a, users["coach_a"]),
        "a_hr": dossier("a_hr", ent_a, None),
        "a_consent": dossier("a_consent", ent_a, users["coach_a"]),
        "b": dossier("b", ent_b, users["coach_b"]),
        "a_asked": dossier("a_asked", ent_a, users["coach_a"]),
        "a_to_b": dossier("a_to_b", ent_a, users["coach_a"], doel_entiteit=ent_b),
    }
    BetrokkenheidFactory(traject=objs["a_consent"], actor="hr", toestemming_op=D0)
    requests = {
        "a_asked": m.Aanmelding.objects.create(
            traject=objs["a_asked"],
            status="aanvaard",
            aangemeld_op=TODAY,
            aangemeld_door=users["coach_a"],
            motivatie="x",
            beslist_op=TODAY,
            trajectbegeleider=users["ago"],
        ),
        "a_to_b": m.Aanmelding.objects.create(
            traject=objs["a_to_b"],
            status="doelentiteit_gevonden",
            aangemeld_op=TODAY,
            aangemeld_door=users["coach_a"],
            motivatie="x",
            beslist_op=TODAY,
            trajectbegeleider=users["ago"],
            doelentiteit=ent_b,
            doelentiteit_op=TODAY,
        ),
    }
    reports = {
        "A": Rapport.objects.create(soort="eoc_xlsx", jaar=2025, entiteit=ent_a, status="klaar"),
        "B": Rapport.objects.create(soort="eoc_xlsx", jaar=2025, entiteit=ent_b, status="klaar"),
        "HOC": Rapport.objects.create(soort="hoc_csv", jaar=2025, entiteit=None, status="klaar"),
    }
    for r in reports.values():
        r.bestand.save(f"{r.soort}-{r.pk}.txt", io.BytesIO(b"aggregated figures only"), save=True)
    imports = {
        "A": m.AfwezigheidImport.objects.create(bestandsnaam="a.csv", alleen_entiteit=ent_a, status="klaar"),
        "VO": m.AfwezigheidImport.objects.create(bestandsnaam="vo.csv", status="klaar"),
    }
    # absent without a trajectory: the person of entity B must never show to entity A's users
    m.Afwezigheid.objects.create(entiteit=ent_b, personeelsnummer="PNXABSENTBZ", eerste_dag=D0)
    return {"users": users, "objs": objs, "requests": requests, "reports": reports, "imports": imports}


def client_for(world, role):
    c = Client()
    if role != "anoniem":
        c.force_login(world["users"][role])
    return c


# --- what each URL pattern should answer ---------------------------------------------------------------

LOGIN = 302  # to the log-in page


def dossier_page(role, obj, allowed_when_visible=(200,)):
    if role == "anoniem":
        return {LOGIN}
    if role not in WORKSPACE:
        return {403}
    return set(allowed_when_visible) if obj in SEES[role] else {404}


def workspace_page(role, ok=(200,)):
    if role == "anoniem":
        return {LOGIN}
    return set(ok) if role in WORKSPACE else {403}


def only(roles, role, ok=(200,), others=(404,)):
    if role == "anoniem":
        return {LOGIN}
    if role not in WORKSPACE:
        return {403}
    return set(ok) if role in roles else set(others)


def admin_page(role):
    return {200} if role == "beheerder" else {302}


# name -> (how to call it: list of (label, kwargs-builder, object or None), expectation(role, object))
ACTIONS = ("gesprek", "afsluiten", "gegevens", "aanmelden_ago", "heropenen")


def dossier_calls(world, name):
    calls = []
    for key, t in world["objs"].items():
        part = t.gesprek_set.first()
        if name in ("dossier", "historiek"):
            calls.append((key, {"pk": t.pk}))
        elif name == "actie":
            calls += [(key, {"pk": t.pk, "kind": k}) for k in ACTIONS]
        else:
            calls.append((key, {"pk": t.pk, "kind": "gesprek", "part": part.pk}))
    return calls


MATRIX = {
    "home": (lambda w: [(None, {})], lambda role, obj: workspace_page(role, ok=(302,))),
    "worklist": (lambda w: [(None, {})], lambda role, obj: workspace_page(role)),
    "traject_nieuw": (lambda w: [(None, {})], lambda role, obj: workspace_page(role)),
    "dossier": (lambda w: dossier_calls(w, "dossier"), lambda role, obj: dossier_page(role, obj)),
    "historiek": (lambda w: dossier_calls(w, "historiek"), lambda role, obj: dossier_page(role, obj)),
    # an action the dossier's state does not allow answers 409 with the reason; one the role may not take 404
    "actie": (
        lambda w: dossier_calls(w, "actie"),
        lambda role, obj: dossier_page(role, obj, (200, 404, 409)),
    ),
    "wijzigen": (lambda w: dossier_calls(w, "wijzigen"), lambda role, obj: dossier_page(role, obj)),
    "verwijderen": (lambda w: dossier_calls(w, "verwijderen"), lambda role, obj: dossier_page(role, obj)),
    "aanmeldingen": (lambda w: [(None, {})], lambda role, obj: only({"ago"}, role)),
    # absence data: HR (own entity) and AgO upload; everyone with a role sees the own entity's absentees
    "afwezigheden": (lambda w: [(None, {})], lambda role, obj: only({"hr_a", "ago"}, role)),
    "afwezigheden_import": (
        lambda w: [(key, {"pk": i.pk}) for key, i in w["imports"].items()],
        lambda role, obj: only({"ago"} | ({"hr_a"} if obj == "A" else set()), role),
    ),
    "afwezig_zonder_traject": (lambda w: [(None, {})], lambda role, obj: workspace_page(role)),
    "aanmelding": (
        lambda w: [(key, {"pk": r.pk}) for key, r in w["requests"].items()],
        lambda role, obj: only({"ago"}, role),
    ),
    "dashboard": (lambda w: [(None, {})], lambda role, obj: only(WORKSPACE, role)),
    "export": (
        lambda w: [(None, {"fmt": f}) for f in ("csv", "xlsx", "pdf")],
        lambda role, obj: only(WORKSPACE, role),
    ),
    "herberekenen": (
        lambda w: [(None, {})],
        lambda role, obj: only({"ago"}, role, ok=(405,), others=(404, 405)),
    ),
    "rapporten": (lambda w: [(None, {})], lambda role, obj: only(WORKSPACE, role)),
    "rapporten_aanvragen": (
        lambda w: [(None, {})],
        lambda role, obj: only(WORKSPACE, role, ok=(405,), others=(405,)),
    ),
    # HR's own entity's extract for its preventieadviseur-arbeidsarts: POST only (tests/rapportering/test_hoc_report.py
    # posts it as every role); a GET is refused like the other report requests
    "extract_aanvragen": (
        lambda w: [(None, {})],
        lambda role, obj: only(WORKSPACE, role, ok=(405,), others=(405,)),
    ),
    "rapport_download": (
        lambda w: [(key, {"pk": r.pk}) for key, r in w["reports"].items()],
        lambda role, obj: only(WORKSPACE, role) if obj in REPORTS_OF.get(role, set()) else only(set(), role),
    ),
    # privacy: a staff member's access request (AgO, or the coach of the dossier) and who read it (AgO)
    "inzageverzoek": (
        lambda w: [(key, {"pk": t.personeelslid_id}) for key, t in w["objs"].items()],
        lambda role, obj: only({role}, role) if obj in COACH_OF.get(role, SEES["ago"]) else only(set(), role),
    ),
    "raadplegingen": (
        lambda w: [(key, {"pk": t.pk}) for key, t in w["objs"].items()],
        lambda role, obj: only({"ago"}, role),
    ),
    # signing in and out: open to everyone (without single sign-on configured its URLs do not exist)
    "login": (lambda w: [(None, {})], lambda role, obj: {200}),
    "logout": (lambda w: [(None, {})], lambda role, obj: {200, 302, 405}),
    "oidc_authentication_init": (lambda w: [(None, {})], lambda role, obj: {404}),
    "oidc_authentication_callback": (lambda w: [(None, {})], lambda role, obj: {404}),
}
ADMIN_SAMPLE = (
    "admin:index",
    "admin:entiteiten_entiteit_changelist",
    "admin:entiteiten_gebruiker_changelist",
)


def project_url_names():
    names = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue  # the admin: a sample below, and no dossier model in it (test_admin)
                walk(p.url_patterns, f"{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_pattern_has_an_entry_in_the_matrix():
    assert project_url_names() - set(MATRIX) == set(), "a URL without an entry in the access matrix"


def body_text(response) -> str:
    """What a reader of the response sees: HTML or CSV text, a PDF's text, an XLSX's cells."""
    ctype = response.get("Content-Type", "")
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8", "replace")
    if raw.startswith(b"%PDF"):
        from pypdf import PdfReader

        text += " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(raw)).pages)
    elif raw.startswith(b"PK") and "spreadsheet" in ctype:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(raw))
        text += " ".join(
            str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None
        )
    return text


def secrets(world, role) -> list[str]:
    """Names and personnel numbers of staff members whose dossier this role may not see."""
    out = []
    for key, t in world["objs"].items():
        if key not in SEES[role]:
            out += [t.personeelslid.achternaam, t.personeelslid.personeelsnummer]
    if role not in ("coach_b", "ago"):
        out.append("PNXABSENTBZ")
    return out


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(world, role):
    from django.urls import reverse

    c = client_for(world, role)
    hidden = secrets(world, role)
    failures = []
    for name, (calls, expect) in MATRIX.items():
        for obj, kwargs in calls(world):
            url = reverse(name, kwargs=kwargs)
            response = c.get(url)
            wanted = expect(role, obj)
            if response.status_code not in wanted:
                failures.append(
                    f"GET {url} ({name}, {obj}): {response.status_code}, expected {sorted(wanted)}"
                )
            text = body_text(response)
            leaked = [s for s in hidden if s in text]
            if leaked:
                failures.append(f"GET {url}: shows {leaked}")
    for name in ADMIN_SAMPLE:
        response = c.get(reverse(name))
        if response.status_code not in admin_page(role):
            failures.append(f"GET {name}: {response.status_code}")
        leaked = [s for s in hidden if s in body_text(response)]
        if leaked:
            failures.append(f"GET {name}: shows {leaked}")
    assert failures == []


@pytest.mark.parametrize("role", ROLES)
def test_no_write_to_a_dossier_one_may_not_see(world, role):
    """POSTs to every write URL of every dossier: where the role may not see it, nothing changes."""
    from django.urls import reverse

    c = client_for(world, role)
    before = (
        m.Gesprek.objects.count(),
        m.Aanmelding.objects.count(),
        list(m.Traject.objects.values_list("status", "d0")),
    )
    for key, t in world["objs"].items():
        if key in SEES[role]:
            continue
        part = t.gesprek_set.first()
        posts = [
            (
                reverse("actie", args=[t.pk, "gesprek"]),
                {
                    "datum": D0.strftime("%d/%m/%Y"),
                    "soort": "contact",
                    "vorm": "mail",
                    "gevoerd_door": "coach",
                },
            ),
            (
                reverse("actie", args=[t.pk, "afsluiten"]),
                {
                    "afgesloten_op": TODAY.strftime("%d/%m/%Y"),
                    "uitkomst": "zelfde_functie",
                    "bevestigd": "True",
                },
            ),
            (reverse("actie", args=[t.pk, "aanmelden_ago"]), {"motivatie": "x"}),
            (
                reverse("wijzigen", args=[t.pk, "gesprek", part.pk]),
                {
                    "datum": TODAY.strftime("%d/%m/%Y"),
                    "soort": "contact",
                    "vorm": "mail",
                    "gevoerd_door": "coach",
                    "wijzigingsreden": "x",
                },
            ),
            (reverse("verwijderen", args=[t.pk, "gesprek", part.pk]), {"wijzigingsreden": "x"}),
        ]
        for url, data in posts:
            assert c.post(url, data).status_code in ({302} if role == "anoniem" else {403, 404}), url
    after = (
        m.Gesprek.objects.count(),
        m.Aanmelding.objects.count(),
        list(m.Traject.objects.values_list("status", "d0")),
    )
    assert after == before
    # the intake decisions are AgO's
    if role != "ago":
        for r in world["requests"].values():
            c.post(
                reverse("aanmelding", args=[r.pk]), {"beslissing": "weigeren", "weigeren-weigerreden": "x"}
            )
        assert set(m.Aanmelding.objects.values_list("status", flat=True)) == {
            "aanvaard",
            "doelentiteit_gevonden",
        }


def test_the_matrix_itself_is_not_vacuous(world):
    """Guards the matrix: an entity's coach really sees its own dossiers' names, so their absence elsewhere means
    something, and every role meets at least one 404 or 403."""
    from django.urls import reverse

    c = client_for(world, "coach_a")
    html = c.get(reverse("worklist"), {"wie": "alle"}).content.decode()
    assert all(world["objs"][k].personeelslid.achternaam in html for k in ("a", "a_hr", "a_consent"))
    assert Gebruiker.objects.filter(rol="").exists()
