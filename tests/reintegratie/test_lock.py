"""The lock files (requirements/*.txt, made by `make lock` from pyproject.toml): every dependency is locked
with hashes in a version its range allows, production's lock is part of development's, and this
environment (installed by `make install`) has exactly the locked versions."""

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
BUILD = [
    Requirement(line)
    for line in (ROOT / "requirements/build.in").read_text().splitlines()
    if line[:1].isalpha()
]


def lock(name: str) -> dict[str, tuple[str, object, list[str]]]:
    """{package: (version, marker, hashes)} of a lock file."""
    out = {}
    for line in (ROOT / "requirements" / name).read_text().replace("\\\n", " ").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        spec, *hashes = line.split("--hash=")
        req = Requirement(spec.strip())
        (pin,) = req.specifier
        assert pin.operator == "==", line
        out[canonicalize_name(req.name)] = (pin.version, req.marker, [h.strip() for h in hashes])
    return out


def wanted(dev: bool) -> list[Requirement]:
    reqs = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]] + BUILD
    if dev:
        reqs += [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]]
    return reqs


def extras_of(req: Requirement) -> list[Requirement]:
    """What ``name[extra]`` adds (read from the installed package), for this platform."""
    if not req.extras:
        return []
    try:
        requires = metadata.requires(req.name) or []
    except metadata.PackageNotFoundError:  # not installed yet: the check of the package itself says so
        return []
    out = []
    for r in map(Requirement, requires):
        if r.marker is None or r.marker.evaluate({"extra": ""}):
            continue
        if any(r.marker.evaluate({"extra": e}) for e in req.extras):
            out.append(r)
    return out


@pytest.mark.parametrize("name, dev", [("prod.txt", False), ("dev.txt", True)])
def test_every_dependency_is_locked_with_hashes_in_its_range(name, dev):
    locked = lock(name)
    for req in wanted(dev):
        for r in [req, *extras_of(req)]:
            key = canonicalize_name(r.name)
            assert key in locked, f"{r.name} is not in requirements/{name}: run `make lock`"
            assert r.specifier.contains(locked[key][0], prereleases=True), (
                f"{r.name}=={locked[key][0]} in requirements/{name} is outside {r.specifier}: run `make lock`"
            )
    assert all(h.startswith("sha256:") for _, _, hashes in locked.values() for h in hashes)
    assert all(hashes for _, _, hashes in locked.values())


def test_production_is_part_of_development():
    prod, dev = lock("prod.txt"), lock("dev.txt")
    assert {k: v[0] for k, v in prod.items()} == {k: dev[k][0] for k in prod if k in dev}
    assert set(prod) <= set(dev)


def test_the_build_requirements_are_those_of_pyproject():
    assert sorted(map(str, BUILD)) == sorted(PYPROJECT["build-system"]["requires"])


def test_this_environment_has_exactly_the_locked_versions():
    wrong = {}
    for name, (version, marker, _) in lock("dev.txt").items():
        if marker is not None and not marker.evaluate():
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert wrong == {}, "installed versions differ from requirements/dev.txt: run `make install`"
