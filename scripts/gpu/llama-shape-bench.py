#!/usr/bin/env python3
"""A random-weight LlamaForCausalLM of a chosen shape: exported to ONNX in the optimum layout the embedded
server reads, and timed with transformers' generate() on PyTorch, for the GPU benchmark of issue #6.

  python3 scripts/gpu/llama-shape-bench.py OUT_DIR --tokenizer-from TINY_MODEL_DIR [--hidden 4096]
        [--layers 2] [--ffn 11008] [--heads 32] [--kv-heads 32] [--batches 1,8,32] [--new 64]
        [--report torch.json] [--no-export] [--device cuda]

Writes OUT_DIR/{config.json, generation_config.json, tokenizer.json, tokenizer_config.json,
onnx/model.onnx, onnx/model.onnx_data} and, with --report, PyTorch's tokens/s per batch size for the same
prompt the server's bench (native-runtime/inference/tools/bench.ts) decodes: no EOS, every row makes
exactly --new tokens. The export follows ../shared/GPU.md: eager attention, a wrapper that rebuilds a
DynamicCache from flat past tensors, TorchScript exporter at opset 17.
"""
import argparse
import json
import os
import shutil
import sys
import time

import torch
from transformers import DynamicCache, LlamaConfig, LlamaForCausalLM

PROMPT = "Translate this from English to German:\nEnglish: The committee will meet again next week to discuss the budget.\nGerman:"


class WithFlatCache(torch.nn.Module):
    def __init__(self, model, layers):
        super().__init__()
        self.model = model
        self.layers = layers

    def forward(self, input_ids, attention_mask, position_ids, *past):
        cache = DynamicCache()
        for i in range(self.layers):
            cache.update(past[2 * i], past[2 * i + 1], i)
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, past_key_values=cache, use_cache=True)
        flat = []
        for layer in out.past_key_values.layers:
            flat += [layer.keys, layer.values]
        return (out.logits, *flat)


def build(args):
    config = LlamaConfig(
        vocab_size=32000, hidden_size=args.hidden, intermediate_size=args.ffn, num_hidden_layers=args.layers,
        num_attention_heads=args.heads, num_key_value_heads=args.kv_heads, max_position_embeddings=4096,
        bos_token_id=1, eos_token_id=2, pad_token_id=0, tie_word_embeddings=False,
    )
    config._attn_implementation = "eager"
    torch.manual_seed(0)
    with torch.device("cpu"):
        model = LlamaForCausalLM(config).eval()
    return config, model


def export(model, config, out, tokenizer_from):
    import onnx

    L = config.num_hidden_layers
    KV = config.num_key_value_heads
    D = config.hidden_size // config.num_attention_heads
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    ids = torch.ones((1, 3), dtype=torch.long)
    past = []
    for _ in range(L):
        past += [torch.zeros((1, KV, 2, D)), torch.zeros((1, KV, 2, D))]
    past_names = [f"past_key_values.{i}.{k}" for i in range(L) for k in ("key", "value")]
    present_names = [f"present.{i}.{k}" for i in range(L) for k in ("key", "value")]
    axes = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "total"}, "position_ids": {0: "batch", 1: "seq"}, "logits": {0: "batch", 1: "seq"}}
    axes.update({n: {0: "batch", 2: "past"} for n in past_names})
    axes.update({n: {0: "batch", 2: "total"} for n in present_names})
    tmp = os.path.join(out, "onnx", "tmp")
    os.makedirs(tmp, exist_ok=True)
    t0 = time.time()
    with torch.no_grad():
        torch.onnx.export(
            WithFlatCache(model, L), (ids, torch.ones((1, 5), dtype=torch.long), torch.arange(2, 5)[None], *past),
            os.path.join(tmp, "model.onnx"), input_names=["input_ids", "attention_mask", "position_ids", *past_names],
            output_names=["logits", *present_names], dynamic_axes=axes, opset_version=17, dynamo=False,
        )
    # One external-data file beside model.onnx, as optimum writes it (the exporter may scatter tensors).
    graph = onnx.load(os.path.join(tmp, "model.onnx"), load_external_data=True)
    onnx.save_model(graph, os.path.join(out, "onnx", "model.onnx"), save_as_external_data=True, all_tensors_to_one_file=True, location="model.onnx_data", size_threshold=1024)
    shutil.rmtree(tmp)
    cfg = config.to_dict()
    cfg.pop("_attn_implementation", None)
    cfg["architectures"] = ["LlamaForCausalLM"]
    cfg["phoenix_bench"] = {"note": "random weights, for the GPU benchmark only (scripts/gpu/llama-shape-bench.py)"}
    json.dump(cfg, open(os.path.join(out, "config.json"), "w"), indent=1, default=str)
    json.dump({"bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0}, open(os.path.join(out, "generation_config.json"), "w"))
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(tokenizer_from, f), os.path.join(out, f))
    return round(time.time() - t0, 1)


def prompt_ids(tokenizer_dir):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(tokenizer_dir, "tokenizer.json"))
    ids = tok.encode(PROMPT, add_special_tokens=False).ids
    return [1] + ids  # BOS, as the server's tokenizer adds it for LLaMA


@torch.no_grad()
def bench_torch(model, prompt, batches, new, device, dtype, attn):
    model.config._attn_implementation = attn
    model = model.to(device=device, dtype=dtype)
    rows = []
    common = dict(max_new_tokens=new, min_new_tokens=new, do_sample=False, pad_token_id=0, eos_token_id=None, temperature=None, top_p=None, top_k=None)
    warm = torch.tensor([prompt], device=device)
    model.generate(input_ids=warm, attention_mask=torch.ones_like(warm), **{**common, "max_new_tokens": 4, "min_new_tokens": 4})
    for b in batches:
        ids = torch.tensor([prompt] * b, device=device)
        if device == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), **common)
        if device == "cuda":
            torch.cuda.synchronize()
        s = time.perf_counter() - t0
        made = (out.shape[1] - len(prompt)) * b
        rows.append({"batch": b, "dtype": str(dtype).replace("torch.", ""), "attention": attn, "new_tokens": made, "seconds": round(s, 3), "tokens_per_s": round(made / s), "ms_per_step": round(s * 1000 / new, 2)})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--tokenizer-from", required=True)
    ap.add_argument("--hidden", type=int, default=4096)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--ffn", type=int, default=11008)
    ap.add_argument("--heads", type=int, default=32)
    ap.add_argument("--kv-heads", type=int, default=32)
    ap.add_argument("--batches", default="1,8,32")
    ap.add_argument("--new", type=int, default=64)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--report")
    ap.add_argument("--no-export", action="store_true")
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    config, model = build(args)
    params = sum(p.numel() for p in model.parameters())
    report = {"shape": {"hidden": args.hidden, "layers": args.layers, "ffn": args.ffn, "heads": args.heads, "kv_heads": args.kv_heads, "vocab": 32000, "params": params}, "torch": torch.__version__}
    if torch.cuda.is_available():
        report["gpu"] = torch.cuda.get_device_name(0)
    print(json.dumps(report), flush=True)
    if not args.no_export:
        report["export_seconds"] = export(model, config, args.out, args.tokenizer_from)
        print(json.dumps({"exported": args.out, "seconds": report["export_seconds"]}), flush=True)
    prompt = prompt_ids(args.tokenizer_from)
    report["prompt_tokens"] = len(prompt)
    batches = [int(b) for b in args.batches.split(",")]
    report["results"] = bench_torch(model, prompt, batches, args.new, args.device, torch.float32, "eager")
    report["results"] += bench_torch(model, prompt, batches, args.new, args.device, torch.float32, "sdpa")
    if args.device == "cuda":
        report["results"] += bench_torch(model, prompt, batches, args.new, args.device, torch.float16, "sdpa")
    if args.report:
        json.dump(report, open(args.report, "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
