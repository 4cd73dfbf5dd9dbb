"""The OpenSearch image and compose file: they parse and say what the backend needs (nori, single node,
an admin password from the environment, a health check, a data volume)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.unit

INFRA = Path(__file__).resolve().parents[3] / "infra"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((INFRA / "docker-compose.yml").read_text(encoding="utf-8"))


def test_dockerfile_pins_the_official_image_and_installs_nori():
    text = (INFRA / "opensearch" / "Dockerfile").read_text(encoding="utf-8")
    version = re.search(r"^ARG OPENSEARCH_VERSION=(\S+)$", text, re.M)
    assert version and re.fullmatch(r"\d+\.\d+\.\d+", version.group(1)), "the image version must be pinned"
    assert re.search(r"^FROM opensearchproject/opensearch:\$\{OPENSEARCH_VERSION\}$", text, re.M)
    assert re.search(r"^RUN .*opensearch-plugin install --batch analysis-nori\s*$", text, re.M)


def test_opensearch_service(compose):
    service = compose["services"]["opensearch"]
    assert service["build"]["context"] == "./opensearch"
    assert (INFRA / service["build"]["context"] / "Dockerfile").is_file()
    env = service["environment"]
    assert env["discovery.type"] == "single-node"
    assert re.search(r"-Xms\S+ -Xmx\S+", env["OPENSEARCH_JAVA_OPTS"])
    assert env["OPENSEARCH_INITIAL_ADMIN_PASSWORD"].startswith("${OPENSEARCH_INITIAL_ADMIN_PASSWORD")
    health = service["healthcheck"]
    assert health["test"][0] == "CMD-SHELL" and "_cluster/health" in health["test"][1]
    assert "$${OPENSEARCH_INITIAL_ADMIN_PASSWORD}" in health["test"][1]  # expanded in the container, not by compose
    (volume,) = service["volumes"]
    name, target = volume.split(":")
    assert target == "/usr/share/opensearch/data" and name in compose["volumes"]
    assert any(str(port).endswith(":9200") for port in service["ports"])


def test_dashboards_is_optional_and_waits_for_a_healthy_cluster(compose):
    dashboards = compose["services"]["opensearch-dashboards"]
    assert dashboards["profiles"] == ["dashboards"]
    assert dashboards["depends_on"]["opensearch"]["condition"] == "service_healthy"
    assert "https://opensearch:9200" in dashboards["environment"]["OPENSEARCH_HOSTS"]
    # Dashboards must run the same version as the cluster, whatever OPENSEARCH_VERSION says.
    default = re.compile(r"\$\{OPENSEARCH_VERSION:-(\d+\.\d+\.\d+)\}")
    pinned = re.search(r"^ARG OPENSEARCH_VERSION=(\S+)$", (INFRA / "opensearch" / "Dockerfile").read_text(), re.M).group(1)
    assert default.search(dashboards["image"]).group(1) == pinned
    assert default.search(compose["services"]["opensearch"]["build"]["args"]["OPENSEARCH_VERSION"]).group(1) == pinned
