"""The admin and the log-in speak Dutch (nl-BE), including the password messages.

Django 5.2's own Dutch catalogue misses a few strings (the password-length message changed its msgid), and
django-simple-history and django-axes ship no Dutch; locale/nl/ fills the gaps.
"""

import re
from pathlib import Path

import django
import pytest
from django.urls import reverse
from django.utils import translation

from entiteiten.models import Gebruiker
from tests.factories import GebruikerFactory

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES"
DJANGO_LOCALE = Path(django.__file__).parent / "contrib"
# msgids whose Dutch is the same word, or that are never shown to a user
SAME_IN_DUTCH = {"salt", "hash", "checksum", "%(class_name)s %(instance)s", "Filter"}


def po_entries(path: Path):
    """(msgid, msgid_plural, [msgstr...]) of a .po file, header and obsolete entries left out."""
    for block in path.read_text().split("\n\n"):

        def field(name, block=block):
            m = re.search(rf"^{name} ((?:\".*\"\n?)+)", block, re.M)
            return None if m is None else "".join(re.findall(r'"(.*)"', m.group(1)))

        msgid = field("msgid")
        if not msgid:
            continue
        unescape = lambda s: s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")  # noqa: E731
        strs = [unescape(s) for s in re.findall(r'^msgstr(?:\[\d\])? "(.*)"', block, re.M)]
        plural = field("msgid_plural")
        yield unescape(msgid), plural and unescape(plural), strs


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_matches_the_po_file(domain):
    """Every string of locale/nl/*.po is what nl-BE users get (the committed .mo is not stale)."""
    from django.views.i18n import JavaScriptCatalog

    entries = list(po_entries(LOCALE / f"{domain}.po"))
    assert entries
    with translation.override("nl-be"):
        if domain == "djangojs":
            catalog = JavaScriptCatalog(domain="djangojs", packages=["django.contrib.admin"])
            catalog.translation = translation.trans_real.DjangoTranslation("nl-be", domain="djangojs")
            got = catalog.get_catalog()
            for msgid, _plural, strs in entries:
                assert got[msgid] == strs[0], msgid
            return
        for msgid, plural, strs in entries:
            if plural:
                assert translation.ngettext(msgid, plural, 1) == strs[0], msgid
                assert translation.ngettext(msgid, plural, 12) == strs[1], msgid
            else:
                assert translation.gettext(msgid) == strs[0], msgid


@pytest.mark.parametrize(
    "catalogue", ["auth/locale/en/LC_MESSAGES/django.po", "admin/locale/en/LC_MESSAGES/django.po"]
)
def test_every_admin_and_auth_string_has_dutch(catalogue):
    """Fails after a Django upgrade that changes or adds a string Django's Dutch does not cover yet."""
    missing = []
    with translation.override("nl-be"):
        for msgid, plural, _strs in po_entries(DJANGO_LOCALE / catalogue):
            if msgid in SAME_IN_DUTCH:
                continue
            got = translation.ngettext(msgid, plural, 2) if plural else translation.gettext(msgid)
            if got == (plural or msgid):
                missing.append(msgid)
    assert missing == []


@pytest.fixture
def operator_client(client, db):
    user = GebruikerFactory(rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_admin_password_messages_are_dutch_even_for_an_english_browser(operator_client):
    coach = GebruikerFactory(username="coach.x")
    url = reverse("admin:auth_user_password_change", args=[coach.pk])
    response = operator_client.post(
        url, {"password1": "kort", "password2": "kort"}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten." in html
    assert "This password is too short" not in html and "Password-based authentication" not in html
    response = operator_client.post(
        url,
        {"password1": "een-lang-wachtwoord", "password2": "een-ander-wachtwoord"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "De twee wachtwoordvelden komen niet overeen." in response.content.decode()


def test_admin_add_user_page_and_javascript_catalogue_are_dutch(operator_client):
    html = operator_client.get(reverse("admin:entiteiten_gebruiker_add"), HTTP_ACCEPT_LANGUAGE="en").content
    html = html.decode()
    assert '<html lang="nl-be"' in html
    assert "Nadat u de gebruiker hebt aangemaakt, kunt u meer gebruikersopties bewerken." in html
    assert "After you’ve created a user" not in html
    js = operator_client.get(reverse("admin:jsi18n")).content.decode()
    assert "Alle %s kiezen" in js


def test_admin_history_and_lockout_lists_are_dutch(operator_client):
    coach = GebruikerFactory(username="coach.y")
    html = operator_client.get(
        reverse("admin:entiteiten_gebruiker_history", args=[coach.pk])
    ).content.decode()
    assert "Gewijzigd door" in html and "Changed by" not in html
    html = operator_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "aanmeldpogingen" in html and "access attempts" not in html
