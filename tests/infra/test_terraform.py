"""The AWS reference deployment (infra/terraform): split by concern, every reference resolves, and the
security groups keep OpenSearch and vLLM private. `terraform validate` needs the provider plugins, which
cannot be downloaded everywhere; these tests read the configuration itself (python-hcl2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.config import Settings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
TF = ROOT / "infra" / "terraform"
CONCERNS = ("versions", "variables", "outputs", "main", "network", "security_groups", "s3", "opensearch", "vllm",
            "dashboard")
META_BLOCKS = {"for_each", "count", "depends_on", "lifecycle", "provider"}


def _text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(TF.glob("*.tf")))


@pytest.fixture(scope="module")
def tf() -> dict:
    """All .tf files merged: {"resource": {(type, name): body}, "data": {...}, "variable": {...}, ...}."""
    hcl2 = pytest.importorskip("hcl2", reason="python-hcl2 is not installed (pip install python-hcl2)")
    try:
        from hcl2.utils import SerializationOptions
    except ImportError:  # python-hcl2 < 8 serialises this way by default
        options = {}
    else:
        options = {"serialization_options": SerializationOptions(
            strip_string_quotes=True, with_comments=False, explicit_blocks=False)}
    merged: dict = {"resource": {}, "data": {}, "variable": {}, "output": {}, "locals": {}, "terraform": []}
    for path in sorted(TF.glob("*.tf")):
        with path.open(encoding="utf-8") as handle:
            doc = hcl2.load(handle, **options)
        for kind in ("resource", "data"):
            for block in doc.get(kind, []):
                for rtype, named in block.items():
                    for name, body in named.items():
                        assert (rtype, name) not in merged[kind], f"{kind} {rtype}.{name} declared twice"
                        merged[kind][(rtype, name)] = body
        for kind in ("variable", "output"):
            for block in doc.get(kind, []):
                merged[kind].update(block)
        for block in doc.get("locals", []):
            merged["locals"].update(block)
        merged["terraform"] += doc.get("terraform", [])
    return merged


def _ref(rtype: str, name: str, attr: str = "id") -> str:
    return "${%s.%s.%s}" % (rtype, name, attr)


def _one(blocks):
    """A nested block (hcl2 gives a list of one dict)."""
    assert isinstance(blocks, list) and len(blocks) == 1, blocks
    return blocks[0]


def test_configuration_is_split_by_concern():
    for concern in CONCERNS:
        assert (TF / f"{concern}.tf").is_file(), f"infra/terraform/{concern}.tf is missing"


def test_terraform_and_providers_are_pinned(tf):
    (settings,) = tf["terraform"]
    assert settings["required_version"].startswith(">=")
    providers = _one(settings["required_providers"])
    assert providers["aws"]["source"] == "hashicorp/aws"
    for name, spec in providers.items():
        assert re.fullmatch(r"~> \d+\.\d+(\.\d+)?", spec["version"]), f"pin provider {name} (~> X.Y)"


def test_every_reference_resolves(tf):
    text = _text()
    declared_vars = set(tf["variable"])
    used_vars = set(re.findall(r"\bvar\.([a-z0-9_]+)", text))
    assert used_vars <= declared_vars, f"undeclared variables: {sorted(used_vars - declared_vars)}"
    assert declared_vars <= used_vars, f"unused variables: {sorted(declared_vars - used_vars)}"

    used_locals = set(re.findall(r"\blocal\.([a-z0-9_]+)", text))
    assert used_locals <= set(tf["locals"]), f"undefined locals: {sorted(used_locals - set(tf['locals']))}"

    code = re.sub(r"#[^\n]*", "", text)  # references in comments do not count
    for rtype, name in re.findall(r"(?<![\w.])((?:aws|random)_[a-z0-9_]+)\.([a-z0-9_]+)", code):
        assert (rtype, name) in tf["resource"], f"reference to undeclared resource {rtype}.{name}"
    for rtype, name in re.findall(r"(?<![\w.-])data\.([a-z0-9_]+)\.([a-z0-9_]+)", code):
        assert (rtype, name) in tf["data"], f"reference to undeclared data source {rtype}.{name}"


def test_user_data_template_gets_exactly_its_variables(tf):
    instance = tf["resource"][("aws_instance", "vllm")]
    call = instance["user_data"]
    path = re.search(r'templatefile\("\$\{path\.module\}/([^"]+)"', call).group(1)
    template = (TF / path).read_text(encoding="utf-8")
    needed = set(re.findall(r"(?<![$%])\$\{\s*([a-z0-9_]+)\s*\}", template))
    needed |= set(re.findall(r"%\{\s*if\s+([a-z0-9_]+)", template))
    passed = set(re.findall(r"\b([a-z0-9_]+)\s*=", call.split(",", 1)[1]))
    assert needed == passed, f"template needs {sorted(needed)}, vllm.tf passes {sorted(passed)}"
    for flag in ("--enable-lora", "--lora-modules", "--max-lora-rank", "--max-model-len", "--served-model-name"):
        assert flag in template


def test_app_settings_in_terraform_are_real_settings(tf):
    settings = {f"SANGDAM_{name.upper()}" for name in Settings.model_fields}
    used = set(re.findall(r"\bSANGDAM_[A-Z0-9_]+", _text()))
    assert used - {"SANGDAM_"} <= settings, f"not settings: {sorted(used - settings - {'SANGDAM_'})}"
    wiring = tf["locals"]["app_wiring"]
    for key in ("SANGDAM_SEARCH_BACKEND", "SANGDAM_OPENSEARCH_URL", "SANGDAM_LLM_BASE_URL", "SANGDAM_LLM_MODEL",
                "SANGDAM_LLM_CONTEXT_TOKENS", "SANGDAM_ATTACHMENT_STORE", "SANGDAM_S3_BUCKET", "SANGDAM_HOME"):
        assert key in wiring
    assert wiring["SANGDAM_LLM_MODEL"] == "${var.vllm_lora_name}"
    assert "var.vllm_max_model_len" in wiring["SANGDAM_LLM_CONTEXT_TOKENS"]


def _ingress(tf, group: str) -> list[dict]:
    return [body for (rtype, _), body in tf["resource"].items()
            if rtype == "aws_vpc_security_group_ingress_rule" and body["security_group_id"] == _ref(
                "aws_security_group", group)]


def test_security_groups_have_no_inline_rules(tf):
    for (rtype, name), body in tf["resource"].items():
        if rtype == "aws_security_group":
            assert "ingress" not in body and "egress" not in body, f"{name}: use the separate rule resources"


@pytest.mark.parametrize(("group", "source", "port"), [
    ("vllm", "dashboard", 8000),
    ("opensearch", "dashboard", 443),
    ("dashboard", "alb", 8501),
    ("efs", "dashboard", 2049),
])
def test_private_parts_admit_only_one_security_group_on_one_port(tf, group, source, port):
    rules = _ingress(tf, group)
    assert rules, f"{group} has no ingress rule"
    for rule in rules:
        assert rule["referenced_security_group_id"] == _ref("aws_security_group", source)
        assert "cidr_ipv4" not in rule and "cidr_ipv6" not in rule and "prefix_list_id" not in rule
        assert rule["from_port"] == rule["to_port"] == port and rule["ip_protocol"] == "tcp"


def test_only_the_load_balancer_is_open_to_networks(tf):
    for (rtype, name), body in tf["resource"].items():
        if rtype == "aws_vpc_security_group_ingress_rule" and "cidr_ipv4" in body:
            assert body["security_group_id"] == _ref("aws_security_group", "alb"), f"{name} opens a network"
            assert body["cidr_ipv4"] == "${each.value}" and "var.allowed_cidrs" in body["for_each"]
            assert body["from_port"] in (80, 443)
    egress_groups = {body["security_group_id"] for (rtype, _), body in tf["resource"].items()
                     if rtype == "aws_vpc_security_group_egress_rule"}
    assert _ref("aws_security_group", "opensearch") not in egress_groups


def test_opensearch_domain_is_private_and_encrypted(tf):
    domain = tf["resource"][("aws_opensearch_domain", "main")]
    vpc = _one(domain["vpc_options"])
    assert vpc["security_group_ids"] == [_ref("aws_security_group", "opensearch")]
    assert "aws_subnet.private" in vpc["subnet_ids"]
    assert _one(domain["encrypt_at_rest"])["enabled"] is True
    assert _one(domain["node_to_node_encryption"])["enabled"] is True
    assert _one(domain["domain_endpoint_options"])["enforce_https"] is True
    assert _one(domain["advanced_security_options"])["enabled"] is True


def test_vllm_instance_is_private(tf):
    instance = tf["resource"][("aws_instance", "vllm")]
    assert "aws_subnet.private" in instance["subnet_id"]
    assert instance["associate_public_ip_address"] is False
    assert instance["vpc_security_group_ids"] == [_ref("aws_security_group", "vllm")]
    assert _one(instance["metadata_options"])["http_tokens"] == "required"
    assert re.fullmatch(r"g[56]\w*\.\w+", tf["variable"]["vllm_instance_type"]["default"])


def test_bucket_is_private_encrypted_and_versioned(tf):
    resources = tf["resource"]
    block = resources[("aws_s3_bucket_public_access_block", "manuals")]
    for key in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        assert block[key] is True
    sse = _one(_one(resources[("aws_s3_bucket_server_side_encryption_configuration", "manuals")]["rule"])[
        "apply_server_side_encryption_by_default"])
    assert sse["sse_algorithm"] in ("AES256", "aws:kms")
    versioning = resources[("aws_s3_bucket_versioning", "manuals")]
    assert _one(versioning["versioning_configuration"])["status"] == "Enabled"
    statement = _one(tf["data"][("aws_iam_policy_document", "manuals_bucket")]["statement"])
    assert statement["effect"] == "Deny" and _one(statement["condition"])["variable"] == "aws:SecureTransport"


def test_dashboard_runs_privately_behind_the_load_balancer(tf):
    resources = tf["resource"]
    service = resources[("aws_ecs_service", "dashboard")]
    network = _one(service["network_configuration"])
    assert network["assign_public_ip"] is False
    assert "aws_subnet.private" in network["subnets"]
    assert network["security_groups"] == [_ref("aws_security_group", "dashboard")]
    assert _one(service["load_balancer"])["container_port"] == 8501
    lb = resources[("aws_lb", "dashboard")]
    assert lb["internal"] is False and "aws_subnet.public" in lb["subnets"]
    assert lb["security_groups"] == [_ref("aws_security_group", "alb")]


def test_dashboard_role_reads_the_bucket(tf):
    role = tf["resource"][("aws_iam_role", "dashboard_task")]
    assert "ecs_tasks_assume" in role["assume_role_policy"]
    statements = tf["data"][("aws_iam_policy_document", "dashboard_task")]["statement"]
    reads = [s for s in statements if "s3:GetObject" in s["actions"]]
    assert reads and all("aws_s3_bucket.manuals.arn" in r for s in reads for r in s["resources"])
    assert not any(a in s["actions"] for s in statements for a in ("s3:PutObject", "s3:DeleteObject", "s3:*"))
