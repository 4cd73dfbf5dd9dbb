"""Build the tiny model the real-vLLM test serves (run with the vLLM environment's Python).

A Llama with random weights (hidden 256, 2 layers, 4 heads of 64: vLLM's CPU attention refuses head_dim 16),
a 4,000-token byte-level BPE tokenizer trained on the sample manuals' text, a chat template, and a LoRA
adapter made with peft (r 8 on q_proj/v_proj, random non-zero weights so that it changes the output).
Its text is noise: the test checks the protocol, not the answers.

    python build_tiny_model.py OUT_DIR
writes OUT_DIR/model and OUT_DIR/adapter.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[3] / "etl" / "samples" / "manuals"
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def manual_texts() -> list[str]:
    texts = []
    for page in sorted(SAMPLES.glob("*.html")):
        raw = page.read_bytes()
        try:
            html = raw.decode("utf-8")
        except UnicodeDecodeError:
            html = raw.decode("cp949", errors="ignore")
        text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
        texts.append(re.sub(r"\s+", " ", text))
    return texts


def build(out: Path) -> None:
    import torch
    from peft import LoraConfig, get_peft_model
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    specials = ["<unk>", "<s>", "</s>", "<|system|>", "<|user|>", "<|assistant|>"]
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=4000, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    bpe.train_from_iterator(manual_texts(), trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, unk_token="<unk>", bos_token="<s>", eos_token="</s>",
                                        pad_token="</s>")
    tokenizer.chat_template = CHAT_TEMPLATE

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=256, intermediate_size=512, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=2048,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=False)
    model = LlamaForCausalLM(config).to(torch.bfloat16)
    model_dir = out / "model"
    model.save_pretrained(model_dir, safe_serialization=True)
    tokenizer.save_pretrained(model_dir)

    lora = LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"], init_lora_weights=False,
                      task_type="CAUSAL_LM")
    peft_model = get_peft_model(LlamaForCausalLM(config).to(torch.bfloat16), lora)
    peft_model.save_pretrained(out / "adapter")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
