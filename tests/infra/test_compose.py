"""The whole-system compose file: the services are there, wired to each other through the compose network,
healthy before their dependants start, and private except for the dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from backend.config import Settings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
PRIVATE = ("opensearch", "opensearch-dashboards", "vllm", "minio")
APPS = ("dashboard", "ingest")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((INFRA / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _flag(command: list[str], flag: str) -> str:
    """The value after `flag` in an exec-form command."""
    assert flag in command, f"vLLM command lacks {flag}"
    return str(command[command.index(flag) + 1])


def _default(value: str) -> str:
    """'${VAR:-x}' -> 'x' (the value compose uses when VAR is unset); other text as is."""
    return re.sub(r"\$\{[A-Z0-9_]+:?-([^}]*)\}", r"\1", str(value))


def test_the_whole_system_is_there(services):
    assert {"opensearch", "vllm", "minio", "minio-init", "dashboard", "ingest"} <= services.keys()
    assert services["ingest"]["profiles"] == ["ingest"], "ingest is a one-off job, not started by `up`"
    assert services["ingest"]["command"][:2] == ["sangdam", "ingest"]
    assert services["ingest"]["image"] == services["dashboard"]["image"]


def test_images_are_pinned(services):
    for name, service in services.items():
        image = _default(service["image"])
        assert ":" in image and not image.endswith((":latest", ":")), f"{name}: pin the image tag ({image})"
    assert _default(services["vllm"]["image"]).startswith("vllm/vllm-openai:v")
    assert re.fullmatch(r"minio/minio:RELEASE\.\S+", _default(services["minio"]["image"]))
    assert re.fullmatch(r"minio/mc:RELEASE\.\S+", _default(services["minio-init"]["image"]))


def test_vllm_serves_the_base_model_with_the_lora_adapter_on_a_gpu(compose, services):
    vllm = services["vllm"]
    command = [str(part) for part in vllm["command"]]
    assert _flag(command, "--model").startswith("${VLLM_BASE_MODEL:?"), "the base model must come from a variable"
    assert _flag(command, "--served-model-name")
    assert "--enable-lora" in command
    name, _, path = _default(_flag(command, "--lora-modules")).partition("=")
    assert name and path == f"/adapters/{name}"
    assert int(_default(_flag(command, "--max-lora-rank"))) in (1, 8, 16, 32, 64, 128, 256, 320, 512)
    assert int(_default(_flag(command, "--max-model-len"))) >= 256
    assert _flag(command, "--port") == "8000"

    (device,) = vllm["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]

    mounts = dict(reversed(_default(volume).split(":")[:2]) for volume in vllm["volumes"])
    assert "/adapters" in mounts, "a volume for the LoRA adapters"
    assert mounts["/root/.cache/huggingface"] in compose["volumes"], "the Hugging Face cache is a named volume"
    assert "/health" in " ".join(vllm["healthcheck"]["test"])


def test_every_long_running_service_has_a_healthcheck(services):
    for name in ("opensearch", "vllm", "minio", "dashboard"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} needs a healthcheck"


def test_only_the_dashboard_is_published_beyond_localhost(services):
    for name in PRIVATE:
        for port in services[name].get("ports", []):
            assert _default(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"
    for name, service in services.items():
        if name not in PRIVATE and name != "dashboard":
            assert not service.get("ports"), f"{name} should not publish ports"
    assert any(_default(port).endswith(":8501") for port in services["dashboard"]["ports"])


def test_dependants_wait_for_healthy_or_finished_services(services):
    assert services["minio-init"]["depends_on"]["minio"]["condition"] == "service_healthy"
    for name in APPS:
        depends = services[name]["depends_on"]
        assert depends["opensearch"]["condition"] == "service_healthy"
        assert depends["minio-init"]["condition"] == "service_completed_successfully"
    assert "vllm" in services["dashboard"]["depends_on"]


def test_the_app_reaches_the_other_services_by_name(services):
    vllm_command = [str(part) for part in services["vllm"]["command"]]
    for name in APPS:
        env = services[name]["environment"]
        assert env["SANGDAM_LLM_BASE_URL"] == f"http://vllm:{_flag(vllm_command, '--port')}/v1"
        assert env["SANGDAM_LLM_MODEL"] == _flag(vllm_command, "--lora-modules").split("=")[0]
        assert env["SANGDAM_LLM_CONTEXT_TOKENS"] == _flag(vllm_command, "--max-model-len")
        assert env["SANGDAM_SEARCH_BACKEND"] == "opensearch"
        assert env["SANGDAM_OPENSEARCH_URL"] == "https://opensearch:9200"
        assert env["SANGDAM_OPENSEARCH_PASSWORD"].startswith("${OPENSEARCH_INITIAL_ADMIN_PASSWORD")
        assert env["SANGDAM_ATTACHMENT_STORE"] == "s3"
        assert env["SANGDAM_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["SANGDAM_S3_PUBLIC_ENDPOINT_URL"].startswith("${S3_PUBLIC_ENDPOINT_URL")
        assert env["SANGDAM_S3_BUCKET"] == services["minio-init"]["environment"]["S3_BUCKET"]
        assert env["SANGDAM_MANUALS_SOURCE"].startswith("s3://")
        # boto3's own variables carry the MinIO app user that minio-init creates.
        assert env["AWS_ACCESS_KEY_ID"] == services["minio-init"]["environment"]["S3_APP_ACCESS_KEY"]
        assert env["AWS_SECRET_ACCESS_KEY"] == services["minio-init"]["environment"]["S3_APP_SECRET_KEY"]
        assert "sangdam-home:/data" in services[name]["volumes"] and env["SANGDAM_HOME"] == "/data"


def test_every_setting_reaches_the_app_containers(services):
    """Each setting is either wired by compose or passed through from infra/.env (a key without a value)."""
    settings = {f"SANGDAM_{name.upper()}" for name in Settings.model_fields}
    for name in APPS:
        given = {key for key in services[name]["environment"] if key.startswith("SANGDAM_")}
        missing = sorted(settings - given)
        assert not missing, f"{name}: add to x-sangdam-settings in infra/docker-compose.yml: {missing}"


def test_minio_bucket_is_private_and_created_once(services):
    init = services["minio-init"]
    (mount,) = init["volumes"]
    source, target = mount.split(":")[:2]
    script = (INFRA / source).read_text(encoding="utf-8")
    assert init["entrypoint"][-1] == target
    assert "mc mb --ignore-existing" in script
    assert re.search(r"mc anonymous set none", script)
    assert "mc version enable" in script
    assert init["restart"] == "no"


def test_dashboard_image_is_built_from_the_root_dockerfile(services):
    build = services["dashboard"]["build"]
    context = (INFRA / build["context"]).resolve()
    assert context == ROOT and (context / build["dockerfile"]).is_file()


def test_dockerfile_builds_the_app_image():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    assert re.search(r"^RUN pip install \"\.", text, re.M), "the image installs the project with pip install ."
    cmd = re.search(r"^CMD (\[.*?\])$", text, re.M | re.S).group(1)
    args = yaml.safe_load(cmd.replace("\\\n", ""))
    assert args[:3] == ["streamlit", "run", "streamlit_app.py"]
    assert args[args.index("--server.port") + 1] == "8501" and args[args.index("--server.headless") + 1] == "true"
    assert args[args.index("--client.toolbarMode") + 1] == "minimal"  # no Deploy button or developer menu
    assert args[args.index("--client.showErrorDetails") + 1] == "none"  # no traceback or path in a browser
    # the client address is the connection's: only the app reads X-Forwarded-For, from proxies it trusts
    assert re.search(r'^ENV FORWARDED_ALLOW_IPS=""$', text, re.M)
    assert "FORWARDED_ALLOW_IPS= $(BIN)/streamlit run" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^USER (?!root)\S+$", text, re.M), "the app does not run as root"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", "var", ".git"} <= set(ignored)
