"""What the image and compose deploy with: a base image pinned by digest for both stages, a
project built with the locked (hashed) setuptools and wheel and nothing fetched unpinned, no pip
run in the image's own stage, a compose file with no password of its own and the API published
on this host only, and every uvicorn the project starts bounding a request's head."""

from __future__ import annotations

import ast
import ipaddress
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from uvicorn.importer import import_from_string

from app.platform.runtime.http_head import PROTOCOL, BoundedHttpToolsProtocol
from tests.deployed import uvicorn

ROOT = Path(__file__).resolve().parents[3]


def dockerfile() -> list[str]:
    return (ROOT / "Dockerfile").read_text().splitlines()


def instructions() -> list[str]:
    """The Dockerfile's instructions, one a line: comments left out, continuations joined,
    whitespace runs made one space."""
    text = "\n".join(line for line in dockerfile() if not line.lstrip().startswith("#"))
    joined = text.replace("\\\n", " ").splitlines()
    return [" ".join(line.split()) for line in joined if line.strip()]


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
        """Both stages (the build, then the image) are FROM the build argument, whose default is
        the digest (CI passes a stand-in where the registry is out of reach)."""
        stages = [line for line in instructions() if line.startswith("FROM ")]
        assert stages == ["FROM ${BASE_IMAGE} AS build", "FROM ${BASE_IMAGE}"]
        (default,) = [line for line in dockerfile() if line.startswith("ARG BASE_IMAGE=")]
        assert re.fullmatch(r"ARG BASE_IMAGE=python:3\.11-slim@sha256:[0-9a-f]{64}", default)

    def test_the_project_is_built_without_an_isolated_unpinned_environment(self) -> None:
        """The build stage's pip installs hashed locks (the runtime set, then with EXTRAS=learned
        the learned extra's lock with it) and the project without resolving anything; the
        image's own stage runs no pip."""
        build, image = "\n".join(instructions()).split("\nFROM ${BASE_IMAGE}\n")
        installs = re.findall(r"pip --python /opt/venv/bin/python install ([^;&\n]*)", build)
        assert [" ".join(i.split()) for i in installs] == [
            "--require-hashes -r requirements.lock",
            "--require-hashes -r requirements.lock -r requirements-learned.lock",
            "--no-deps --no-build-isolation --target /srv/mysymbols .",
        ]
        assert "pip" not in image

    def test_the_runtime_lock_holds_the_build_backend_with_hashes(self) -> None:
        with open(ROOT / "pyproject.toml", "rb") as f:
            build_requires = tomllib.load(f)["build-system"]["requires"]
        for path in (ROOT / "requirements.lock", ROOT / "requirements-dev.lock"):
            pins = locked(path)
            for requirement in map(Requirement, build_requires):
                version, hashes = pins[requirement.name.lower()]
                assert requirement.specifier.contains(version), (path.name, requirement)
                assert hashes, (path.name, requirement.name)

    def test_the_runtime_lock_holds_uvicorns_loop_and_parser_not_its_extras(self) -> None:
        """uvloop and httptools, which the image's uvicorn runs on; not websockets or watchfiles,
        which uvicorn imports whenever they are installed (issue 84: 1.3 MB of the service)."""
        pins = locked(ROOT / "requirements.lock")
        assert {"uvicorn", "uvloop", "httptools"} <= pins.keys()
        assert pins.keys().isdisjoint({"websockets", "watchfiles"}), pins.keys()


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


# Every uvicorn the project starts for real, and how each writes its launch.
SHELL_LAUNCHES = ("Dockerfile", "scripts/dev.sh")
PYTHON_LAUNCHES = ("scripts/demo.py", "tests/deployed/__init__.py", "tests/bench/soak_server.py")


def shell_launches(path: str) -> list[str]:
    """Each command line (continuations joined) of `path` that starts uvicorn."""
    text = (ROOT / path).read_text().replace("\\\n", " ")
    return [line for line in text.splitlines() if re.search(r"uvicorn\"? app\.main:app", line)]


def python_launches(path: str) -> list[ast.AST]:
    """Each command list naming the `uvicorn` module, and each `uvicorn.run(…)`, of `path`."""
    return [node for node in ast.walk(ast.parse((ROOT / path).read_text())) if _launch(node)]


def _launch(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        return ast.unparse(node.func) == "uvicorn.run"
    return isinstance(node, ast.List) and any(
        isinstance(item, ast.Constant) and item.value == "uvicorn" for item in node.elts
    )


class TestRequestHeadBound:
    """Every uvicorn the project starts (the image, and so compose and Kubernetes; `dev.sh
    serve`; the demo; the deployed suite's and the benchmarks' servers) runs the protocol that
    bounds a request's head (`app.platform.runtime.http_head`): a launch without it fails here."""

    @pytest.mark.parametrize("path", SHELL_LAUNCHES)
    def test_each_shell_launch_names_the_protocol(self, path: str) -> None:
        launches = shell_launches(path)
        assert launches, f"no uvicorn launch found in {path}"
        for line in launches:
            assert re.search(rf"--http {re.escape(PROTOCOL)}(\s|\"|$)", line), (path, line)

    @pytest.mark.parametrize("path", PYTHON_LAUNCHES)
    def test_each_python_launch_names_the_protocol(self, path: str) -> None:
        launches = python_launches(path)
        assert launches, f"no uvicorn launch found in {path}"
        for node in launches:
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            assert "PROTOCOL" in names, (path, ast.unparse(node))

    def test_the_deployed_suite_serves_with_the_protocol(self) -> None:
        command = uvicorn("app.main:app", 8000)
        assert command[command.index("--http") + 1] == PROTOCOL

    def test_compose_and_kubernetes_run_the_image_command(self) -> None:
        """Neither replaces the image's CMD, which names the protocol."""
        app = compose()["services"]["app"]
        assert "command" not in app and "entrypoint" not in app
        deployment = yaml.safe_load((ROOT / "deploy/k8s/deployment.yaml").read_text())
        (api,) = [c for c in deployment["spec"]["template"]["spec"]["containers"]]
        assert "command" not in api and "args" not in api

    def test_the_protocol_is_what_uvicorn_loads(self) -> None:
        assert import_from_string(PROTOCOL) is BoundedHttpToolsProtocol
