"""Single sign-on: which role and entity the identity platform's claims give a user of the tool.

A plain function (claims, mapping and the known entity codes in, a decision out; no database), so the
rules can be tested exhaustively. The OpenID Connect glue that applies a decision is in
``entiteiten/oidc.py``; the settings are documented in README ("Single sign-on").

- The role comes from the claim ``OIDC_CLAIM_ROLE`` (a string or a list of strings; a dotted name such as
  ``realm_access.roles`` reaches into a nested claim). Each value is looked
  up in ``OIDC_ROLE_MAP`` (the platform's value → the tool's role). Values without a mapping are
  ignored; no mapped value at all means no access. Several mapped values give the widest role
  (AgO before HR before terugkeercoach).
- Only the roles terugkeercoach, HR and AgO come through single sign-on; the operator (beheerder) keeps
  a local account.
- The entity comes from the claim ``OIDC_CLAIM_ENTITY`` (a code, or a list with one code), compared
  with the active entities' codes without regard to case. Coaches and HR need one; AgO sees every
  entity and keeps an entity only when the claim names a known one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The tool's roles that the identity platform may grant, widest first (entiteiten.models.Gebruiker.Rol).
SSO_ROLES = ("ago", "hr", "terugkeercoach")
ROLES_WITH_ENTITY = ("hr", "terugkeercoach")

# Why a log-in is refused (the refusal page explains each in Dutch).
GEEN_ROL = "geen_rol"
GEEN_ENTITEIT = "geen_entiteit"
ONBEKENDE_ENTITEIT = "onbekende_entiteit"
MEERDERE_ENTITEITEN = "meerdere_entiteiten"
GEEN_IDENTITEIT = "geen_identiteit"
GEBLOKKEERD = "geblokkeerd"  # the account was deactivated (by an operator, or by an earlier refusal)


@dataclass(frozen=True)
class ClaimMapping:
    role_claim: str
    entity_claim: str
    role_map: Mapping[str, str]  # the platform's role value → one of SSO_ROLES


@dataclass(frozen=True)
class Decision:
    rol: str | None = None
    entiteit_code: str | None = None  # as stored in Entiteit.code
    refusal: str | None = None
    detail: str = ""  # the offending value, shown on the refusal page

    @property
    def allowed(self) -> bool:
        return self.refusal is None


def claim_value(claims: Mapping, name: str):
    """A claim by name; a dotted name reaches into nested claims (``realm_access.roles``)."""
    if name in claims:
        return claims[name]
    value = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _values(claim) -> list[str]:
    if claim is None:
        return []
    if isinstance(claim, str):
        return [claim.strip()] if claim.strip() else []
    if isinstance(claim, Iterable) and not isinstance(claim, Mapping):
        return [str(v).strip() for v in claim if v is not None and str(v).strip()]
    return [str(claim).strip()]


def mapping_errors(role_map: Mapping[str, str]) -> list[str]:
    """What is wrong with a configured role mapping (empty: nothing)."""
    return [
        f"OIDC_ROLE_MAP: {value!r} maps to {rol!r}; allowed are {', '.join(SSO_ROLES)}"
        for value, rol in role_map.items()
        if rol not in SSO_ROLES
    ]


def decide(claims: Mapping, mapping: ClaimMapping, entity_codes: Iterable[str]) -> Decision:
    """The role and entity the claims give, or why they give no access."""
    if not str(claims.get("sub") or "").strip():
        return Decision(refusal=GEEN_IDENTITEIT)
    role_values = _values(claim_value(claims, mapping.role_claim))
    granted = {mapping.role_map[v] for v in role_values if v in mapping.role_map}
    granted &= set(SSO_ROLES)
    if not granted:
        return Decision(refusal=GEEN_ROL, detail=", ".join(role_values))
    rol = next(r for r in SSO_ROLES if r in granted)

    by_upper = {code.upper(): code for code in entity_codes}
    # upper-cased code → the code as the platform spells it
    named = {v.upper(): v for v in _values(claim_value(claims, mapping.entity_claim))}
    if len(named) > 1:
        if rol in ROLES_WITH_ENTITY:
            return Decision(refusal=MEERDERE_ENTITEITEN, detail=", ".join(sorted(named.values())))
        return Decision(rol=rol)
    if not named:
        return Decision(refusal=GEEN_ENTITEIT) if rol in ROLES_WITH_ENTITY else Decision(rol=rol)
    [(upper, value)] = named.items()
    code = by_upper.get(upper)
    if code is None and rol in ROLES_WITH_ENTITY:
        return Decision(refusal=ONBEKENDE_ENTITEIT, detail=value)
    return Decision(rol=rol, entiteit_code=code)
