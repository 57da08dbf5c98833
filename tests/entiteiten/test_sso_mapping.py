"""The single sign-on mapping: the identity platform's claims → the tool's role and entity (no database)."""

import pytest

from entiteiten.models import Gebruiker
from entiteiten.sso import (
    GEEN_ENTITEIT,
    GEEN_IDENTITEIT,
    GEEN_ROL,
    MEERDERE_ENTITEITEN,
    ONBEKENDE_ENTITEIT,
    SSO_ROLES,
    ClaimMapping,
    Decision,
    claim_value,
    decide,
    mapping_errors,
)

MAPPING = ClaimMapping(
    role_claim="rollen",
    entity_claim="ovo_code",
    role_map={"ReintegratieCoach": "terugkeercoach", "ReintegratieHR": "hr", "ReintegratieAgO": "ago"},
)
CODES = ["OMG", "KB", "AgO"]


def claims(**kw):
    return {"sub": "abc-123", **kw}


@pytest.mark.parametrize(
    "rollen,rol",
    [
        ("ReintegratieCoach", "terugkeercoach"),
        (["ReintegratieCoach"], "terugkeercoach"),
        (["Boekhouding", "ReintegratieHR"], "hr"),  # unmapped values are ignored
        (["ReintegratieCoach", "ReintegratieHR"], "hr"),  # the widest role wins
        (["ReintegratieHR", "ReintegratieAgO", "ReintegratieCoach"], "ago"),
        ([" ReintegratieCoach "], "terugkeercoach"),  # surrounding blanks
    ],
)
def test_role_from_mapped_values(rollen, rol):
    assert decide(claims(rollen=rollen, ovo_code="OMG"), MAPPING, CODES) == Decision(
        rol=rol, entiteit_code="OMG"
    )


@pytest.mark.parametrize("rollen", [None, "", [], ["Boekhouding"], "reintegratiecoach", [None, ""], {"a": 1}])
def test_no_mapped_role_no_access(rollen):
    d = decide(claims(rollen=rollen, ovo_code="OMG"), MAPPING, CODES)
    assert d.refusal == GEEN_ROL and not d.allowed and d.rol is None


def test_refusal_names_the_values_it_got():
    assert decide(claims(rollen=["Boekhouding", "HR"]), MAPPING, CODES).detail == "Boekhouding, HR"


def test_missing_subject_is_refused():
    assert decide({"rollen": "ReintegratieAgO"}, MAPPING, CODES).refusal == GEEN_IDENTITEIT
    assert decide({"sub": " ", "rollen": "ReintegratieAgO"}, MAPPING, CODES).refusal == GEEN_IDENTITEIT


@pytest.mark.parametrize("rol", ["ReintegratieCoach", "ReintegratieHR"])
@pytest.mark.parametrize(
    "ovo_code,expected",
    [
        ("OMG", Decision(entiteit_code="OMG")),
        ("omg", Decision(entiteit_code="OMG")),  # codes compare without case
        (["kb"], Decision(entiteit_code="KB")),
        (["KB", "kb"], Decision(entiteit_code="KB")),  # the same code twice is one entity
        ("AGO", Decision(entiteit_code="AgO")),  # stored spelling is kept
        (None, Decision(refusal=GEEN_ENTITEIT)),
        ("", Decision(refusal=GEEN_ENTITEIT)),
        ([], Decision(refusal=GEEN_ENTITEIT)),
        ("XYZ", Decision(refusal=ONBEKENDE_ENTITEIT, detail="XYZ")),
        (["OMG", "KB"], Decision(refusal=MEERDERE_ENTITEITEN, detail="KB, OMG")),
    ],
)
def test_coach_and_hr_need_one_known_entity(rol, ovo_code, expected):
    d = decide(claims(rollen=rol, ovo_code=ovo_code), MAPPING, CODES)
    want_rol = MAPPING.role_map[rol] if expected.refusal is None else None
    assert d == Decision(
        rol=want_rol, entiteit_code=expected.entiteit_code, refusal=expected.refusal, detail=expected.detail
    )


@pytest.mark.parametrize(
    "ovo_code,entiteit_code",
    [(None, None), ("OMG", "OMG"), ("XYZ", None), (["OMG", "KB"], None)],
)
def test_ago_sees_every_entity_and_keeps_a_known_one(ovo_code, entiteit_code):
    d = decide(claims(rollen="ReintegratieAgO", ovo_code=ovo_code), MAPPING, CODES)
    assert d == Decision(rol="ago", entiteit_code=entiteit_code)


def test_claim_names_are_configurable_and_may_be_nested():
    keycloak = ClaimMapping("realm_access.roles", "org.code", {"coach": "terugkeercoach"})
    c = claims(realm_access={"roles": ["offline_access", "coach"]}, org={"code": "KB"})
    assert decide(c, keycloak, CODES) == Decision(rol="terugkeercoach", entiteit_code="KB")
    assert claim_value({"a.b": 1, "a": {"b": 2}}, "a.b") == 1  # a flat claim with a dot in its name wins
    assert claim_value({"a": {"b": 2}}, "a.c") is None
    assert claim_value({"a": "x"}, "a.b") is None


def test_no_entity_codes_known():
    assert (
        decide(claims(rollen="ReintegratieCoach", ovo_code="OMG"), MAPPING, []).refusal == ONBEKENDE_ENTITEIT
    )


def test_operator_role_never_comes_through_single_sign_on():
    mapping = ClaimMapping("rollen", "ovo_code", {"Beheer": "beheerder", "Superuser": "admin"})
    assert decide(claims(rollen=["Beheer", "Superuser"]), mapping, CODES).refusal == GEEN_ROL
    assert mapping_errors(mapping.role_map) == [
        "OIDC_ROLE_MAP: 'Beheer' maps to 'beheerder'; allowed are ago, hr, terugkeercoach",
        "OIDC_ROLE_MAP: 'Superuser' maps to 'admin'; allowed are ago, hr, terugkeercoach",
    ]
    assert mapping_errors(MAPPING.role_map) == []


def test_sso_roles_are_roles_of_the_tool():
    assert set(SSO_ROLES) == set(Gebruiker.Rol.values) - {Gebruiker.Rol.BEHEERDER}
