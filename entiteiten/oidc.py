"""Single sign-on through OpenID Connect (mozilla-django-oidc): the glue around ``entiteiten.sso.decide``.

Off while ``OIDC_RP_CLIENT_ID`` is empty: the log-in page then offers local accounts only and the
``/aanmelden/oidc/`` routes answer 404. On, a log-in through the identity platform:

1. the authorization code flow with PKCE and a nonce (mozilla-django-oidc), RS256 ID tokens checked
   against the platform's keys;
2. the claims of the ID token and of the userinfo endpoint are decided on (``decide``): the account
   with the same subject (``Gebruiker.oidc_sub``) is updated, or made; without a mapped role, or
   without a known entity for a coach or HR, nobody is logged in, an existing account is deactivated
   (its other sessions end at their next request) and a Dutch page says why;
3. log-out ends the local session, and then the platform's session when it offers an end_session
   endpoint.

Local accounts keep their password log-in with django-axes's lock-out; failed single sign-on log-ins
are the platform's to count, not axes's.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import LoginView, LogoutView
from django.core import checks
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render, resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .models import Entiteit, Gebruiker
from .sso import GEBLOKKEERD, ClaimMapping, Decision, decide, mapping_errors

log = logging.getLogger(__name__)

CALLBACK = "oidc_authentication_callback"


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def claim_mapping() -> ClaimMapping:
    return ClaimMapping(
        role_claim=settings.OIDC_CLAIM_ROLE,
        entity_claim=settings.OIDC_CLAIM_ENTITY,
        role_map=dict(settings.OIDC_ROLE_MAP),
    )


# --- accounts ---------------------------------------------------------------------------------------


def _username(claims) -> str:
    """A readable, free user name for a new account: the platform's user name, else the e-mail address."""
    wanted = str(claims.get(settings.OIDC_CLAIM_USERNAME) or claims.get("email") or claims["sub"])
    base = re.sub(r"[^\w.@+-]", "-", wanted)[:140] or "sso"
    name, n = base, 1
    while Gebruiker.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def apply_claims(claims) -> tuple[Gebruiker | None, Decision]:
    """Create or update the account the claims name, or refuse (and deactivate the account) with a reason."""
    codes = Entiteit.objects.filter(actief=True).values_list("code", flat=True)
    decision = decide(claims, claim_mapping(), list(codes))
    sub = str(claims.get("sub") or "").strip()
    user = Gebruiker.objects.filter(oidc_sub=sub).first() if sub else None
    if not decision.allowed:
        if user is not None and user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            log.warning("single sign-on: account %s deactivated (%s)", user.pk, decision.refusal)
        return None, decision
    if user is not None and not user.is_active:
        return None, Decision(refusal=GEBLOKKEERD)
    if user is None:
        user = Gebruiker(oidc_sub=sub, username=_username(claims))
        user.set_unusable_password()
    user.rol = decision.rol
    user.entiteit = Entiteit.objects.get(code=decision.entiteit_code) if decision.entiteit_code else None
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name"), ("email", "email")):
        if claims.get(claim):
            setattr(user, field, str(claims[claim])[: Gebruiker._meta.get_field(field).max_length])
    user.save()
    return user, decision


class OIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, deciding with ``apply_claims``; inert while single sign-on is off."""

    def __init__(self, *args, **kwargs):
        # The platform's settings are read in authenticate, for a log-in through it only: a local log-in
        # (Django tries every backend after a wrong password) never depends on them.
        self.UserModel = Gebruiker

    def authenticate(self, request, **kwargs):
        # Only the callback of the code flow logs in here (never a password form with ?code= in its URL).
        match = getattr(request, "resolver_match", None)
        if not oidc_enabled() or match is None or match.url_name != CALLBACK:
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        """The claims of the ID token and of the userinfo endpoint together (a platform may put roles in either)."""
        info = super().get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload.get("sub"):  # OpenID Connect Core 5.3.2
            raise SuspiciousOperation("userinfo sub differs from the ID token's")
        return {**payload, **info}

    def get_or_create_user(self, access_token, id_token, payload):
        user, decision = apply_claims(self.get_userinfo(access_token, id_token, payload))
        self.request.sso_decision = decision
        return user

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # inactive accounts lose their sessions


# --- views ------------------------------------------------------------------------------------------


class AanmeldenView(LoginView):
    """The log-in page: the identity platform (when configured) and the local account form."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(oidc_enabled=oidc_enabled(), **kwargs)


def oidc_start(request):
    """Send the browser to the identity platform."""
    if not oidc_enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


class CallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        try:
            return super().get(request)
        except (requests.RequestException, SuspiciousOperation) as exc:
            log.warning("single sign-on: log-in failed: %s", exc)
            return self.login_failure()

    def login_failure(self):
        request = self.request
        decision = getattr(request, "sso_decision", None)
        # What the platform said is kept only to end its session; nobody stays logged in here.
        id_token = request.session.pop("oidc_id_token", None)
        if request.user.is_authenticated:
            auth.logout(request)
        context = {
            "reason": decision.refusal if decision else "mislukt",
            "detail": decision.detail if decision else "",
            "provider_logout_url": provider_logout_url(request, id_token),
        }
        return render(request, "registration/sso_geweigerd.html", context, status=403 if decision else 400)


def oidc_callback(request):
    if not oidc_enabled():
        raise Http404
    return CallbackView.as_view()(request)


def provider_logout_url(request, id_token: str | None = None) -> str | None:
    """The platform's end_session address for this session (RP-initiated logout), if it has one."""
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    id_token = id_token or request.session.get("oidc_id_token")
    if not (oidc_enabled() and endpoint and id_token):
        return None
    params = {
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
    }
    return f"{endpoint}?{urlencode(params)}"


class AfmeldenView(LogoutView):
    """Ends the local session, then the platform's session when the log-in came from there.

    The way to the platform is a page that forwards at once (meta refresh, with a link), not a redirect:
    a redirect answering the log-out form would be a form submission to another origin, which a
    Content-Security-Policy ``form-action 'self'`` rightly blocks.
    """

    def post(self, request, *args, **kwargs):
        at_provider = provider_logout_url(request)  # read before the session is flushed
        response = super().post(request, *args, **kwargs)
        if at_provider:
            return render(request, "registration/afgemeld.html", {"provider_logout_url": at_provider})
        return response


def axes_whitelist(request, credentials) -> bool:
    """django-axes counts failed passwords; a refused single sign-on log-in is not one."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == CALLBACK)


# --- configuration check ----------------------------------------------------------------------------

REQUIRED = (
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_CLAIM_ROLE",
    "OIDC_ROLE_MAP",
)


@checks.register(checks.Tags.security)
def check_oidc_settings(app_configs=None, **kwargs):
    if not oidc_enabled():
        return []
    errors = [
        checks.Error(
            f"{name} is required when OIDC_RP_CLIENT_ID is set (README: Single sign-on).", id="sso.E001"
        )
        for name in REQUIRED
        if not getattr(settings, name, None)
    ]
    if settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not settings.OIDC_OP_JWKS_ENDPOINT:
        errors.append(
            checks.Error(f"{settings.OIDC_RP_SIGN_ALGO} needs OIDC_OP_JWKS_ENDPOINT.", id="sso.E002")
        )
    errors += [checks.Error(msg, id="sso.E003") for msg in mapping_errors(settings.OIDC_ROLE_MAP)]
    return errors
