"""What the image and compose deploy with: a base image pinned by digest, a project built with
the locked (hashed) setuptools and wheel and nothing fetched unpinned, and a compose file with
no password of its own and the API published on this host only."""

from __future__ import annotations

import ipaddress
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def dockerfile() -> list[str]:
    return (ROOT / "Dockerfile").read_text().splitlines()


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name: (version, hashes) of every pin in a uv-compiled, hashed lock."""
    pins: dict[str, tuple[str, list[str]]] = {}
    name = ""
    for line in path.read_text().splitlines():
        pin = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;]+)", line)
        if pin:
            name = pin[1].lower()
            pins[name] = (pin[2], [])
        elif name and (digest := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            pins[name][1].append(digest[1])
    return pins


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text()))


class TestImage:
    def test_the_base_image_is_pinned_by_digest(self) -> None:
        """The one FROM names the build argument, whose default is the digest (CI passes a
        stand-in where the registry is out of reach)."""
        (base,) = [line for line in dockerfile() if line.startswith("FROM ")]
        assert base == "FROM ${BASE_IMAGE}"
        (default,) = [line for line in dockerfile() if line.startswith("ARG BASE_IMAGE=")]
        assert re.fullmatch(r"ARG BASE_IMAGE=python:3\.11-slim@sha256:[0-9a-f]{64}", default)

    def test_the_project_is_built_without_an_isolated_unpinned_environment(self) -> None:
        installs = [line for line in dockerfile() if "pip install" in line]
        assert installs == [
            "RUN pip install --require-hashes -r requirements.lock",
            "RUN pip install --no-deps --no-build-isolation .",
        ]

    def test_the_runtime_lock_holds_the_build_backend_with_hashes(self) -> None:
        with open(ROOT / "pyproject.toml", "rb") as f:
            build_requires = tomllib.load(f)["build-system"]["requires"]
        for path in (ROOT / "requirements.lock", ROOT / "requirements-dev.lock"):
            pins = locked(path)
            for requirement in map(Requirement, build_requires):
                version, hashes = pins[requirement.name.lower()]
                assert requirement.specifier.contains(version), (path.name, requirement)
                assert hashes, (path.name, requirement.name)


class TestCompose:
    def test_no_password_is_written_in_the_file(self) -> None:
        services = compose()["services"]
        assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith(
            "${POSTGRES_PASSWORD:?"
        )
        urls = {
            ("migrate", "MYSYMBOLS_MIGRATION_DATABASE_URL"): ("mysymbols", "POSTGRES_PASSWORD"),
            ("app", "MYSYMBOLS_DATABASE_URL"): ("mysymbols_app", "MYSYMBOLS_APP_DB_PASSWORD"),
        }
        for (name, variable), (role, password) in urls.items():
            url = services[name]["environment"][variable]
            pattern = rf"postgresql\+asyncpg://{role}:\$\{{{password}:\?[^}}]*\}}@db:5432/mysymbols"
            assert re.fullmatch(pattern, url), url

    def test_the_api_is_published_on_the_loopback_only(self) -> None:
        services = compose()["services"]
        assert services["app"]["ports"] == ["127.0.0.1:8000:8000"]
        assert all("ports" not in s for n, s in services.items() if n != "app")


class TestForwardedAddresses:
    """uvicorn runs with --proxy-headers: whose X-Forwarded-For it believes is set where the
    service is deployed, so that callers behind a proxy keep limits of their own."""

    def test_the_image_reads_forwarded_headers(self) -> None:
        assert any("--proxy-headers" in line for line in dockerfile())

    def test_kubernetes_trusts_the_private_ranges_the_ingress_lives_in(self) -> None:
        config = yaml.safe_load((ROOT / "deploy/k8s/configmap.yaml").read_text())["data"]
        networks = [ipaddress.ip_network(n) for n in config["FORWARDED_ALLOW_IPS"].split(",")]
        assert networks and not any(n.is_global for n in networks)

    def test_compose_trusts_this_host_only_unless_told(self) -> None:
        environment = compose()["services"]["app"]["environment"]
        assert environment["FORWARDED_ALLOW_IPS"] == "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
