#!/usr/bin/env python3
"""Checks the tiny-LLaMA golden file against transformers' own LlamaForCausalLM.generate().

Needs: python3, numpy, torch, transformers (tested API: 4.4x-5.x); onnx and onnxruntime only for --model.

test/fixtures/tiny-llama-golden.json holds greedy and beam-5 generations (token ids) of a random-weight
LLaMA made by native-runtime/inference/tools/make-tiny-llama.ts, computed by our float64 TypeScript
reference (tools/reference.ts); the server's tests reproduce them exactly with onnxruntime-node. This script
builds the same architecture as a transformers LlamaForCausalLM (eager attention), loads the same weights
and runs generate() greedy and num_beams=5 on the golden prompts' input ids, alone and left-padded in one
batch, in float64 and float32 (CPU, and CUDA when present), and compares token ids.

Weights, either way:
  (default)      regenerated here from the seed with the builder's integer-only PRNG (mulberry32, uniform
                 weights), checked against the golden's sha256 of onnx/model.onnx_data: no Node needed.
  --model DIR    read by name from the ONNX folder's external data (a folder built by make-tiny-llama.ts,
                 e.g. carried to the GPU machine); also compares onnxruntime's logits on that graph with
                 transformers' (first step, empty KV cache) and runs a KV-cache greedy loop with it.

Usage:
  python3 scripts/gpu/golden-transformers.py [--golden test/fixtures/tiny-llama-golden.json]
        [--model DIR] [--device cpu|cuda] [--out report.json]
Exit 0 when every comparison matches, 1 otherwise.
"""
import argparse
import hashlib
import json
import math
import sys

import numpy as np
import torch
from transformers import LlamaConfig, LlamaForCausalLM


def mulberry32_uniform(seed, start, count):
    """Numbers start..start+count-1 of mulberry32(seed), as in native-runtime/inference/random.ts.

    The generator's state after n calls is seed + n * 0x6D2B79F5 (mod 2^32), so it vectorizes."""
    m = np.uint64(0xFFFFFFFF)
    n = np.arange(start + 1, start + count + 1, dtype=np.uint64)
    a = (np.uint64(seed) + n * np.uint64(0x6D2B79F5)) & m
    t = a

    def imul(x, y):  # low 32 bits of the product, both < 2^32 so the uint64 product is exact
        return (x * y) & m

    t = imul(t ^ (t >> np.uint64(15)), t | np.uint64(1))
    t = t ^ ((t + imul(t ^ (t >> np.uint64(7)), t | np.uint64(61))) & m)
    t = (t ^ (t >> np.uint64(14))) & m
    return t.astype(np.float64) / 4294967296.0


def weights_from_seed(cfg, seed):
    """tinyLlamaWeights() of make-tiny-llama.ts: same names, order, shapes and float32 bits."""
    H = cfg["hidden_size"]
    NH = cfg["num_attention_heads"]
    KV = cfg["num_key_value_heads"]
    I = cfg["intermediate_size"]
    V = cfg["vocab_size"]
    D = H // NH
    out = []
    pos = 0

    def uniform(name, dims, scale, center=0.0):
        nonlocal pos
        count = int(np.prod(dims))
        r = mulberry32_uniform(seed, pos, count)
        pos += count
        out.append((name, (center + (r * 2 - 1) * scale).astype(np.float32).reshape(dims)))

    def proj(name, out_dim, in_dim, gain=1.0):
        uniform(name, [out_dim, in_dim], gain * math.sqrt(3 / in_dim))

    uniform("model.embed_tokens.weight", [V, H], 1.0)
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}"
        uniform(f"{p}.input_layernorm.weight", [H], 0.1, 1.0)
        proj(f"{p}.self_attn.q_proj.weight", NH * D, H)
        proj(f"{p}.self_attn.k_proj.weight", KV * D, H)
        proj(f"{p}.self_attn.v_proj.weight", KV * D, H)
        proj(f"{p}.self_attn.o_proj.weight", H, NH * D)
        uniform(f"{p}.post_attention_layernorm.weight", [H], 0.1, 1.0)
        proj(f"{p}.mlp.gate_proj.weight", I, H)
        proj(f"{p}.mlp.up_proj.weight", I, H)
        proj(f"{p}.mlp.down_proj.weight", H, I)
    uniform("model.norm.weight", [H], 0.1, 1.0)
    proj("lm_head.weight", V, H, 2.0)
    return out


def weights_from_onnx(model_dir):
    import onnx
    from onnx import numpy_helper

    model = onnx.load(f"{model_dir}/onnx/model.onnx", load_external_data=True)
    return [(t.name, numpy_helper.to_array(t)) for t in model.graph.initializer if not t.name.startswith("const_")]


def sha256_of(weights):
    h = hashlib.sha256()
    for _, arr in weights:
        h.update(np.ascontiguousarray(arr, dtype="<f4").tobytes())
    return h.hexdigest()


def build(cfg, weights, dtype, device):
    kw = dict(
        vocab_size=cfg["vocab_size"],
        hidden_size=cfg["hidden_size"],
        intermediate_size=cfg["intermediate_size"],
        num_hidden_layers=cfg["num_hidden_layers"],
        num_attention_heads=cfg["num_attention_heads"],
        num_key_value_heads=cfg["num_key_value_heads"],
        rms_norm_eps=cfg["rms_norm_eps"],
        rope_theta=cfg["rope_theta"],
        max_position_embeddings=cfg["max_position_embeddings"],
        bos_token_id=cfg["bos_token_id"],
        eos_token_id=cfg["eos_token_id"],
        pad_token_id=0,
        tie_word_embeddings=False,
        attention_bias=False,
        mlp_bias=False,
        hidden_act="silu",
    )
    config = LlamaConfig(**kw)
    # transformers 5 keeps rope settings in rope_parameters; make sure theta landed there.
    rp = getattr(config, "rope_parameters", None)
    if isinstance(rp, dict):
        rp["rope_theta"] = cfg["rope_theta"]
        rp.setdefault("rope_type", "default")
    config._attn_implementation = "eager"
    model = LlamaForCausalLM(config)
    state = {name: torch.from_numpy(np.array(arr)) for name, arr in weights}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if "rotary_emb" not in k]
    if missing or unexpected:
        raise SystemExit(f"weights do not fit LlamaForCausalLM: missing {missing}, unexpected {unexpected}")
    return model.to(device=device, dtype=dtype).eval()


def strip(tokens, eos, pad):
    """Generated ids up to and including EOS (generate() pads finished rows after it)."""
    out = []
    for t in tokens:
        out.append(t)
        if t == eos:
            break
    return out


@torch.no_grad()
def generate(model, prompts, max_new, eos, beams, batched, device):
    """Per prompt: greedy token list, or the list of num_beams hypotheses (best first)."""
    common = dict(max_new_tokens=max_new, do_sample=False, eos_token_id=eos, pad_token_id=0, temperature=None, top_p=None, top_k=None)
    if beams > 1:
        common.update(num_beams=beams, num_return_sequences=beams, early_stopping=False, length_penalty=1.0)
    groups = [prompts] if batched else [[p] for p in prompts]
    results = []
    for group in groups:
        width = max(len(p) for p in group)
        ids = torch.zeros((len(group), width), dtype=torch.long)
        mask = torch.zeros((len(group), width), dtype=torch.long)
        for i, p in enumerate(group):
            ids[i, width - len(p):] = torch.tensor(p)
            mask[i, width - len(p):] = 1
        out = model.generate(input_ids=ids.to(device), attention_mask=mask.to(device), **common)
        seqs = [strip(row[width:].tolist(), eos, 0) for row in out.cpu()]
        if beams > 1:
            results += [seqs[i * beams:(i + 1) * beams] for i in range(len(group))]
        else:
            results += seqs
    return results


@torch.no_grad()
def onnx_checks(model_dir, torch_model, golden, device):
    """onnxruntime on our graph vs transformers: first-step logits, and a KV-cache greedy loop vs the golden."""
    import onnxruntime as ort

    sess = ort.InferenceSession(f"{model_dir}/onnx/model.onnx", providers=["CPUExecutionProvider"])
    cfg = golden["model"]["config"]
    L, KV, D = cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["hidden_size"] // cfg["num_attention_heads"]

    def feeds(ids, mask, pos, past):
        f = {"input_ids": ids, "attention_mask": mask, "position_ids": pos}
        for i in range(L):
            for j, kind in enumerate(("key", "value")):
                f[f"past_key_values.{i}.{kind}"] = past[2 * i + j] if past else np.zeros((ids.shape[0], KV, 0, D), np.float32)
        return f

    names = [o.name for o in sess.get_outputs()]
    worst = 0.0
    loop_ok = True
    for p in golden["prompts"]:
        ids = np.array([p["input_ids"]], dtype=np.int64)
        n = ids.shape[1]
        out = dict(zip(names, sess.run(None, feeds(ids, np.ones_like(ids), np.arange(n, dtype=np.int64)[None], None))))
        ref = torch_model(input_ids=torch.tensor(ids, device=device)).logits.float().cpu().numpy()
        worst = max(worst, float(np.abs(out["logits"] - ref).max()))
        tokens, mask = [], np.ones_like(ids)
        past = [out[f"present.{i}.{k}"] for i in range(L) for k in ("key", "value")]
        logits = out["logits"][:, -1]
        for step in range(golden["max_new_tokens"]):
            t = int(logits[0].argmax())
            tokens.append(t)
            if t == cfg["eos_token_id"]:
                break
            mask = np.concatenate([mask, np.ones((1, 1), np.int64)], axis=1)
            out = dict(zip(names, sess.run(None, feeds(np.array([[t]], np.int64), mask, np.array([[n + step]], np.int64), past))))
            past = [out[f"present.{i}.{k}"] for i in range(L) for k in ("key", "value")]
            logits = out["logits"][:, -1]
        loop_ok &= tokens == p["greedy"]["tokens"]
    return {"max_abs_logit_diff_ort_vs_torch": worst, "ort_kv_greedy_matches_golden": loop_ok}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--golden", default="test/fixtures/tiny-llama-golden.json")
    ap.add_argument("--model", help="tiny model folder (make-tiny-llama.ts output); default: regenerate the weights from the seed")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--out", help="write the report as JSON here")
    args = ap.parse_args()

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    golden = json.load(open(args.golden))
    cfg = golden["model"]["config"]
    weights = weights_from_onnx(args.model) if args.model else weights_from_seed(cfg, golden["model"]["seed"])
    sha = sha256_of(weights)
    import transformers

    report = {"torch": torch.__version__, "transformers": transformers.__version__, "weights_sha256": sha, "weights_match_golden": sha == golden["model"]["weights_sha256"], "runs": []}
    if not report["weights_match_golden"]:
        print(f"weights differ from the golden's: {sha} vs {golden['model']['weights_sha256']}", file=sys.stderr)

    prompts = [p["input_ids"] for p in golden["prompts"]]
    eos = cfg["eos_token_id"]
    K = golden["num_beams"]
    ok = report["weights_match_golden"]
    devices = ["cpu"] + ([args.device] if args.device != "cpu" else [])
    for device, dtype in [("cpu", torch.float64)] + [(d, torch.float32) for d in devices]:
        model = build(cfg, weights, dtype, device)
        for batched in (False, True):
            greedy = generate(model, prompts, golden["max_new_tokens"], eos, 1, batched, device)
            beams = generate(model, prompts, golden["max_new_tokens"], eos, K, batched, device)
            g_bad = [i for i, p in enumerate(golden["prompts"]) if greedy[i] != p["greedy"]["tokens"]]
            b_bad = [i for i, p in enumerate(golden["prompts"]) if beams[i][0] != p["beam"]["tokens"]]
            all_bad = [i for i, p in enumerate(golden["prompts"]) if beams[i] != [h["tokens"] for h in p["beam"]["all"]]]
            run = {"device": device, "dtype": str(dtype), "batched": batched, "greedy_mismatches": g_bad, "beam_best_mismatches": b_bad, "beam_all_mismatches": all_bad}
            report["runs"].append(run)
            print(json.dumps(run))
            # transformers' eager attention turns fully masked (left-pad) rows into NaN in float64, and the
            # NaN reaches real tokens through 0 * NaN; float32 masks with a finite minimum and is exact.
            # So a padded float64 batch is reported, not judged.
            run["judged"] = not (batched and dtype == torch.float64)
            if run["judged"]:
                ok &= not g_bad and not b_bad and not all_bad
        if args.model and dtype == torch.float32 and device == devices[-1]:
            report["onnx"] = onnx_checks(args.model, model, golden, device)
            print(json.dumps(report["onnx"]))
            ok &= report["onnx"]["ort_kv_greedy_matches_golden"]
    report["ok"] = bool(ok)
    if args.out:
        json.dump(report, open(args.out, "w"), indent=1)
    print("OK: transformers reproduces the golden" if ok else "MISMATCH: see the runs above")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
