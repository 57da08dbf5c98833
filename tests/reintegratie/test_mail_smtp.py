"""The deadline job's e-mails through a real SMTP server (aiosmtpd, STARTTLS and AUTH), read back.

The job (trajecten.tasks.run_deadline_job) records the day's digests and HR messages and sends them with
Django's SMTP backend configured as README says (EMAIL_HOST/PORT/USER/PASSWORD/USE_TLS/TIMEOUT).
"""

import datetime as dt
import email
import ipaddress
import signal
import socket
import ssl
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from entiteiten.models import Gebruiker
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m
from trajecten import tasks

pytestmark = pytest.mark.django_db

SMTP_USER, SMTP_PASSWORD = "reintegratie", "smtp-wachtwoord-2024"
SITE = "https://reintegratie.example.be"
D0 = dt.date(2026, 1, 31)  # + 2 months = 31/03, + 4 months = 31/05
AS_OF = "2026-06-02"


def self_signed(tmp_path):
    """A certificate for 127.0.0.1 and localhost, and the key: the SMTP server's identity in this test."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "smtp.crt", tmp_path / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


class Inbox:
    """aiosmtpd handler: keeps every accepted message with its envelope and how the session was secured."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(
            {
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "tls": session.ssl is not None,
                "peer": session.peer,  # the client's address and port: one per connection
                "authenticated": session.authenticated,
                "message": msg,
                "body": msg.get_body(preferencelist=("plain",)).get_content(),
            }
        )
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        SMTP_USER.encode(),
        SMTP_PASSWORD.encode(),
    )
    return AuthResult(success=ok)


class SmtpServer(Controller):
    """aiosmtpd's threaded controller on a free port (port 0: the kernel chooses)."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class Relay:
    """A mail relay asking STARTTLS and a log-in (like a production relay), and the tool configured for it."""

    def __init__(self, settings, tls_context):
        self.settings, self.tls_context = settings, tls_context
        self.inbox = Inbox()
        self.messages = self.inbox.messages
        self.server = None

    def start(self):
        self.server = SmtpServer(
            self.inbox,
            hostname="127.0.0.1",
            port=0,
            tls_context=self.tls_context,
            require_starttls=True,
            auth_required=True,
            authenticator=authenticator,
        )
        self.server.start()
        self.settings.EMAIL_PORT = self.server.port

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server = None


@pytest.fixture
def smtp(settings, tmp_path, monkeypatch):
    cert_file, key_file = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # the client trusts this server's certificate
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = SMTP_USER, SMTP_PASSWORD
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL, settings.EMAIL_TIMEOUT = True, False, 5
    settings.DEFAULT_FROM_EMAIL = "re-integratie@vlaanderen.be"
    settings.SITE_URL = SITE
    relay = Relay(settings, server_tls)
    relay.start()
    yield relay
    relay.stop()


@pytest.fixture
def dossiers(settings, entiteit_a, entiteit_b):
    """One entity with a coach and HR, a coached trajectory past its 4-month term, and one without coach."""
    settings.FORMEEL_VERPLICHT_VANAF = dt.date(2026, 6, 1)
    coach = GebruikerFactory(
        username="coach.mail",
        first_name="Karel",
        last_name="Coppens",
        email="karel.coppens@example.be",
        rol=Gebruiker.Rol.TERUGKEERCOACH,
        entiteit=entiteit_a,
    )
    hr = GebruikerFactory(
        username="hr.mail", email="hilde.hr@example.be", rol=Gebruiker.Rol.HR, entiteit=entiteit_a
    )
    GebruikerFactory(  # another entity's HR hears nothing of entity A
        username="hr.b", email="hr.b@example.be", rol=Gebruiker.Rol.HR, entiteit=entiteit_b
    )
    coached = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a, voornaam="Jana", achternaam="Vermeulen"),
        d0=D0,
        coach=coach,
        leidinggevende="Lies Janssens",
    )
    uncoached = TrajectFactory(  # 2 months over on 31/05, the 4 months not yet: no formal trajectory
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a, voornaam="Tom", achternaam="Maes"),
        d0=dt.date(2026, 3, 31),
        coach=None,
        leidinggevende="Piet Peeters",
    )
    names = ["Jana", "Vermeulen", "Tom", "Maes", "Lies Janssens", "Janssens", "Piet Peeters"]
    return {"coach": coach, "hr": hr, "coached": coached, "uncoached": uncoached, "names": names}


def link(traject):
    return f"{SITE}/trajecten/{traject.pk}/"


def test_digests_and_hr_message_are_sent_once_through_smtp(smtp, dossiers):
    first = tasks.run_deadline_job(AS_OF)
    second = tasks.run_deadline_job(AS_OF)  # the job runs twice the same day: nothing new
    assert first["notifications_recorded"] == 3 and second["notifications_recorded"] == 0
    assert tasks.send_notifications() == {"sent": 0, "failed": 0}  # and sending again sends nothing

    received = {(r["rcpt_tos"][0], r["message"]["Subject"]): r for r in smtp.messages}
    assert len(smtp.messages) == len(received) == 3  # each e-mail once
    digest = "Re-integratie: overzicht van 02/06/2026"
    formeel = "Re-integratie: een formeel traject is verplicht"
    assert set(received) == {
        ("karel.coppens@example.be", digest),  # the coach: their trajectory
        ("hilde.hr@example.be", digest),  # HR: the trajectory without a coach
        ("hilde.hr@example.be", formeel),  # HR: a formal trajectory became mandatory
    }
    coached, uncoached = dossiers["coached"], dossiers["uncoached"]
    expect = {
        ("karel.coppens@example.be", digest): ([coached], [uncoached]),
        ("hilde.hr@example.be", digest): ([uncoached], [coached]),
        ("hilde.hr@example.be", formeel): ([coached], [uncoached]),
    }
    for (to, subject), (about, not_about) in expect.items():
        r = received[(to, subject)]
        msg, body = r["message"], r["body"]
        assert r["tls"] and r["authenticated"]  # STARTTLS and AUTH as configured
        assert (r["mail_from"], r["rcpt_tos"]) == ("re-integratie@vlaanderen.be", [to])
        assert (msg["From"], msg["To"], msg["Subject"]) == ("re-integratie@vlaanderen.be", to, subject)
        assert msg["Cc"] is None and msg["Bcc"] is None
        for t in about:
            assert link(t) in body and f"personeelsnummer {t.personeelslid.personeelsnummer}" in body
        for t in not_about:
            assert link(t) not in body and t.personeelslid.personeelsnummer not in body
        # README: staff members are named by personnel number only (no name of the staff member or manager)
        assert not [name for name in dossiers["names"] if name in body or name in subject]
    assert "FORMEEL TRAJECT VERPLICHT" in received[("hilde.hr@example.be", formeel)]["body"]
    assert m.Notificatie.objects.filter(verzonden_op__isnull=False, pogingen=1).count() == 3
    # over one connection per sender (one TLS handshake and log-in each; NOTIFICATION_SENDERS, 2, share the
    # 3 mails), not one per mail
    assert len({r["peer"] for r in smtp.messages}) == 2


def test_mail_server_down_then_back_each_mail_once(smtp, dossiers):
    smtp.stop()  # the relay is down when the job runs
    result = tasks.run_deadline_job(AS_OF)
    assert result["notifications_recorded"] == 3 and smtp.messages == []
    pending = m.Notificatie.objects.filter(verzonden_op__isnull=True)
    assert pending.count() == 3
    assert all(n.pogingen == 1 and "refused" in n.laatste_fout.lower() for n in pending)

    smtp.start()  # back (on a new port, which the settings follow)
    assert tasks.send_notifications() == {"sent": 3, "failed": 0}
    assert tasks.send_notifications() == {"sent": 0, "failed": 0}
    assert len(smtp.messages) == 3
    assert len({(r["rcpt_tos"][0], r["message"]["Subject"]) for r in smtp.messages}) == 3
    assert m.Notificatie.objects.filter(pogingen=2, verzonden_op__isnull=False, laatste_fout="").count() == 3


def test_silent_mail_server_fails_after_email_timeout(settings, dossiers):
    """A relay that accepts the connection and never greets: the send gives up after EMAIL_TIMEOUT."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # connections are queued by the kernel, never answered
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", listener.getsockname()[1]
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 0.5
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the send did not time out"))
    signal.alarm(30)
    try:
        outcome = tasks.run_deadline_job(AS_OF)
    finally:
        signal.alarm(0)
        listener.close()
    assert outcome["notifications_recorded"] == 3
    assert m.Notificatie.objects.filter(verzonden_op__isnull=True, pogingen=1).count() == 3
    assert all("timed out" in n.laatste_fout for n in m.Notificatie.objects.all())
