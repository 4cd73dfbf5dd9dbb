"""Base-model preparation's own logic: an HF folder passes through with its hashes, a chat template is added
where the model has none, and the end-of-turn token stops generation (vLLM reads generation_config.json)."""

from __future__ import annotations

import json

import pytest

from backend.finetune.base_model import CARD_FILE, BaseModelInfo, prepare_base_model

pytestmark = pytest.mark.unit


def hf_folder(path, tokens):
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    path.mkdir(parents=True)
    vocab = {t: i for i, t in enumerate(tokens)}
    fast = PreTrainedTokenizerFast(tokenizer_object=Tokenizer(models.WordLevel(vocab, unk_token=tokens[0])),
                                   eos_token="<eos>", unk_token=tokens[0])
    fast.save_pretrained(path)
    (path / "generation_config.json").write_text(json.dumps({"eos_token_id": vocab["<eos>"]}), encoding="utf-8")
    (path / "model.safetensors").write_bytes(b"weights")
    return path


def test_an_hf_folder_gets_a_chat_template_and_stops_at_the_end_of_a_turn(tmp_path):
    source = hf_folder(tmp_path / "src", ["<unk>", "<eos>", "<end_of_turn>", "안녕"])
    info = prepare_base_model(tmp_path / "models" / "m", source=source)
    out = tmp_path / "models" / "m"
    assert (out / "chat_template.jinja").read_text(encoding="utf-8").count("<start_of_turn>") >= 2
    assert json.loads((out / "generation_config.json").read_text(encoding="utf-8"))["eos_token_id"] == [1, 2]
    assert BaseModelInfo.read(out) == info and (out / CARD_FILE).is_file()
    assert info.weights_sha256 == info.source_sha256  # the weights are copied as they are
    assert not (tmp_path / "models" / ".m.building").exists()


def test_a_model_without_an_end_of_turn_token_keeps_its_stop_tokens(tmp_path):
    source = hf_folder(tmp_path / "src", ["<unk>", "<eos>", "안녕"])
    prepare_base_model(tmp_path / "models" / "m", source=source)
    assert json.loads((tmp_path / "models" / "m" / "generation_config.json").read_text(encoding="utf-8"))["eos_token_id"] == 1


def test_a_model_prepared_before_the_stop_token_fix_is_mended_once(tmp_path):
    # `sangdam model serve` runs this: a model prepared by an older version kept <eos> as its only stop, and
    # vLLM let a tuned adapter repeat its answer until max_tokens.
    from backend.finetune.base_model import ensure_turn_format

    out = tmp_path / "models" / "m"
    prepare_base_model(out, source=hf_folder(tmp_path / "src", ["<unk>", "<eos>", "<end_of_turn>", "안녕"]))
    (out / "generation_config.json").write_text(json.dumps({"eos_token_id": 1}), encoding="utf-8")
    assert ensure_turn_format(out) is True
    assert json.loads((out / "generation_config.json").read_text(encoding="utf-8"))["eos_token_id"] == [1, 2]
    assert ensure_turn_format(out) is False  # nothing left to mend
