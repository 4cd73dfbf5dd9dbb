"""The adapter registry: registering a run, the live adapter, names, scores; and the answerer following a
switch made by another process."""

from __future__ import annotations

import json

import pytest

from backend.app import services
from backend.config import get_settings
from backend.finetune.registry import AdapterNotFoundError, AdapterRegistry

pytestmark = pytest.mark.unit


def make_run(tmp_path, name: str):
    run = tmp_path / f"run-{name}"
    (run / "adapter").mkdir(parents=True)
    (run / "adapter" / "adapter_config.json").write_text('{"r": 8}', encoding="utf-8")
    (run / "sangdam-adapter.json").write_text(json.dumps({"name": name, "steps": 3}), encoding="utf-8")
    return run


def test_register_list_live_and_scores(tmp_path):
    reg = AdapterRegistry(tmp_path / "adapters")
    assert reg.list() == [] and reg.live() is None
    one = reg.register(make_run(tmp_path, "one-r8"))
    reg.register(make_run(tmp_path, "two-r8"), name="two")
    assert [a.name for a in reg.list()] == ["one-r8", "two"] and one.card["steps"] == 3 and one.loss_csv is None
    reg.set_live("two")
    assert reg.live() == "two" and reg.get("two").live and not reg.get("one-r8").live
    with pytest.raises(ValueError, match="서비스 중인 어댑터"):
        reg.register(make_run(tmp_path, "two-again"), name="two")  # the live adapter is never overwritten
    with pytest.raises(AdapterNotFoundError):
        reg.set_live("없음")
    with pytest.raises(ValueError, match="어댑터 이름"):
        reg.register(make_run(tmp_path, "x"), name="../escape")
    reg.add_scores("two", {"questions": 2})
    assert reg.get("two").scores() == [{"questions": 2}]
    reg.set_live(None)
    assert reg.live() is None


def test_the_answerer_follows_the_live_adapter_switched_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("SANGDAM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SANGDAM_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # never called: only the model name matters
    get_settings.cache_clear()
    services.reset()
    try:
        reg = AdapterRegistry(get_settings().adapters_dir)
        reg.register(make_run(tmp_path, "new-r8"))
        assert services.get_answerer().llm.model == "sangdam"  # SANGDAM_LLM_MODEL while no adapter is live
        reg.set_live("new-r8")  # as `sangdam finetune use` in another process does
        assert services.get_answerer().llm.model == "new-r8"
    finally:
        get_settings.cache_clear()
        services.reset()


def test_the_vllm_command_serves_the_base_model_and_every_registered_adapter(tmp_path):
    from backend.app.serve_llm import BASE_NAME, vllm_command
    from backend.config import Settings

    settings = Settings(home=tmp_path / "home")
    with pytest.raises(ValueError, match="sangdam model prepare"):
        vllm_command(settings, base="m", python="py")
    (settings.models_dir / "m").mkdir(parents=True)
    (settings.models_dir / "m" / "config.json").write_text("{}", encoding="utf-8")
    AdapterRegistry(settings.adapters_dir).register(make_run(tmp_path, "one-r8"))
    cmd = vllm_command(settings, base="m", python="py", port=8011)
    assert cmd[:3] == ["env", "VLLM_ALLOW_RUNTIME_LORA_UPDATING=True", "VLLM_CPU_KVCACHE_SPACE=2"] and cmd[3] == "py"
    assert cmd[cmd.index("--served-model-name") + 1] == BASE_NAME and cmd[cmd.index("--port") + 1] == "8011"
    adapter = cmd[cmd.index("--lora-modules") + 1]
    assert adapter.startswith("one-r8=") and adapter.endswith("adapters/one-r8/adapter")
    assert "--enforce-eager" not in vllm_command(settings, base="m", python="py", cpu=False)
