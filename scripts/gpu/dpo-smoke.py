#!/usr/bin/env python3
"""Pieces of the GPU DPO smoke test (scripts/gpu/dpo-smoke.sh), also used by test/unit/train/runtime.test.ts.

  make-model DIR   a tiny random-weight Mistral-architecture model (transformers' MistralConfig) with a
                   word-level tokenizer and the Zephyr chat template, saved with save_pretrained
  make-data DIR    a small, trivially separable DPO export folder (TRL conversational rows, jsonl,
                   phoenix-manifest.json) like phoenix export writes
  run WORK         fallback when no Node is available: the runtime config written by hand and
                   phoenix_train.py started directly (not the TypeScript launcher)
  check OUTPUT     asserts on <OUTPUT>/metrics.jsonl: loss falls, rewards/accuracies > 0.5, panel format
"""
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ZEPHYR_TEMPLATE = (
    "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n"
    "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}"
)
CHOSEN = "Eine gute hilfreiche richtige Antwort mit Details"
REJECTED = "Schlecht falsch unbrauchbar"
ROWS = 64


def rows():
    for i in range(ROWS):
        yield {
            "prompt": [{"content": "Frage %d: Wie kann ich Wasser sparen?" % i, "role": "user"}],
            "chosen": [{"content": CHOSEN, "role": "assistant"}],
            "rejected": [{"content": REJECTED, "role": "assistant"}],
            "prompt_id": "%064d" % i,
            "score_chosen": 9.0,
            "score_rejected": 2.0,
        }


def make_data(out):
    os.makedirs(os.path.join(out, "data"), exist_ok=True)
    with open(os.path.join(out, "phoenix-manifest.json"), "w") as f:
        json.dump({"tool": {"name": "phoenix"}, "dataset": {"kind": "dpo", "format": "jsonl", "trlFormat": "conversational, explicit prompt"}}, f)
    with open(os.path.join(out, "data", "train.jsonl"), "w") as f:
        for r in rows():
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def make_model(out):
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import MistralConfig, MistralForCausalLM, PreTrainedTokenizerFast

    specials = ["<unk>", "<s>", "</s>", "<pad>", "<|user|>", "<|assistant|>", "<|system|>"]
    words = set()
    for r in rows():
        for m in r["prompt"] + r["chosen"] + r["rejected"]:
            words.update(m["content"].replace("?", " ? ").replace(":", " : ").split())
    vocab = {t: i for i, t in enumerate(specials + sorted(words))}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation()])
    tok.add_special_tokens(specials)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", bos_token="<s>", eos_token="</s>", pad_token="<pad>")
    fast.chat_template = ZEPHYR_TEMPLATE
    torch.manual_seed(0)
    cfg = MistralConfig(
        vocab_size=len(vocab), hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=256, bos_token_id=vocab["<s>"], eos_token_id=vocab["</s>"], pad_token_id=vocab["<pad>"],
    )
    model = MistralForCausalLM(cfg)
    os.makedirs(out, exist_ok=True)
    model.save_pretrained(out)
    fast.save_pretrained(out)


HYPER = {
    "learningRate": 1e-3, "numTrainEpochs": 1, "maxSteps": 20, "perDeviceTrainBatchSize": 8, "gradientAccumulationSteps": 1,
    "lrScheduler": "cosine", "warmupRatio": 0.1, "bf16": True, "gradientCheckpointing": False, "loggingSteps": 1,
    "saveSteps": 10, "maxSeqLength": 128, "maxLength": 64, "maxPromptLength": 32, "beta": 0.1,
}


def run_fallback(work):
    out = os.path.join(work, "runs", "smoke")
    os.makedirs(out, exist_ok=True)
    cfg = {
        "runId": "smoke-fallback", "kind": "dpo", "baseModel": os.path.join(work, "model"), "dataset": os.path.join(work, "data", "dpo"),
        "method": "full", "lora": {"r": 16, "alpha": 16, "dropout": 0.05, "targetModules": ["q_proj", "v_proj"]}, "launcher": "single",
        "numGpus": 1, "outputDir": out, "seed": 42, "preset": "phoenix-dpo", "backend": "torch", "trainer": "auto",
        "hyperparameters": HYPER, "stopGraceSeconds": 60,
        "metricsPath": os.path.join(out, "metrics.jsonl"), "statusPath": os.path.join(out, "phoenix-status.json"), "logPath": os.path.join(out, "train.log"),
    }
    path = os.path.join(out, "phoenix-config.json")
    with open(path, "w") as f:
        json.dump(cfg, f, indent=2)
    argv = [sys.executable, os.path.join(ROOT, "native-runtime", "training", "phoenix_train.py"), "--config", path]
    print(json.dumps({"argv": argv, "note": "fallback without Node: not the TypeScript launcher"}), flush=True)
    return subprocess.call(argv, cwd=out)


FIELDS = ["loss", "learning_rate", "grad_norm", "epoch", "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected"]


def check(out):
    points, events = [], []
    with open(os.path.join(out, "metrics.jsonl")) as f:
        for n, line in enumerate(f, 1):
            o = json.loads(line)  # every line complete and JSON: the panel's parser reads it as is
            (events if "event" in o else points).append(o)
    status = json.load(open(os.path.join(out, "phoenix-status.json")))
    assert status["status"] == "finished", status
    assert points and points[-1]["step"] == 20, [p["step"] for p in points]
    for p in points:
        assert isinstance(p["step"], int) and isinstance(p["time"], (int, float)), p
        missing = [k for k in FIELDS if not isinstance(p.get(k), (int, float))]
        assert not missing, "step %s lacks %s" % (p["step"], missing)
    mean = lambda xs: sum(xs) / len(xs)
    first = mean([p["loss"] for p in points[:5]])
    last = mean([p["loss"] for p in points[-5:]])
    acc = mean([p["rewards/accuracies"] for p in points[-5:]])
    margin = points[-1]["rewards/margins"]
    assert last < first, "loss did not fall: %.4f -> %.4f" % (first, last)
    assert acc > 0.5, "rewards/accuracies over the last 5 steps: %.3f" % acc
    start = next(e for e in events if e["event"] == "start")
    summary = {"ok": True, "trainer": start.get("trainer"), "steps": points[-1]["step"], "loss_first5": first, "loss_last5": last, "accuracy_last5": acc, "margin_last": margin, "checkpoints": sorted(d for d in os.listdir(out) if d.startswith("checkpoint-"))}
    print(json.dumps(summary))
    return 0


def main(argv):
    if len(argv) != 2 or argv[0] not in ("make-model", "make-data", "run", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    cmd, arg = argv
    if cmd == "make-model":
        make_model(arg)
    elif cmd == "make-data":
        make_data(arg)
    elif cmd == "run":
        return run_fallback(arg)
    else:
        return check(arg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
