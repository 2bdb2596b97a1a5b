#!/usr/bin/env bash
# Exports ALMA (haoranxu/ALMA-7B or ALMA-13B, LLaMA-2 LlamaForCausalLM) to the ONNX folder layout that
# `phoenix serve --model DIR` (native-runtime/inference) loads:
#
#   DIR/config.json, generation_config.json, tokenizer.json, tokenizer_config.json, …
#   DIR/onnx/model.onnx + model.onnx_data   (inputs input_ids, attention_mask, position_ids,
#                                            past_key_values.N.key/.value; outputs logits, present.N.*,
#                                            plus last_hidden_state for /v1/embeddings)
#
# For machines with network and Python; not runnable in the Phoenix dev sandbox (no PyPI, no weights).
#
#   pip install "optimum[onnxruntime]" transformers onnx onnxruntime   # optimum-onnx on newer optimum
#   scripts/export-alma.sh [--model haoranxu/ALMA-7B] [--out models/alma-7b-onnx] [--precision fp32|fp16|int8]
#
# Precision:
#   fp32  (default) exact, the reference; 7B ≈ 27 GB, 13B ≈ 52 GB on disk and in memory.
#   fp16  half the size, for GPU providers (cuda, webgpu); exported on a CUDA device (optimum --dtype fp16
#         needs --device cuda). The cache and logits are then float16 too (the server handles that).
#         onnxruntime's CPU provider runs fp16 poorly: use fp32 or int8 there.
#   int8  dynamic quantization of the MatMul weights (onnxruntime.quantization.quantize_dynamic) of the
#         fp32 export: ≈ 7 GB for 7B, the CPU option; expect small changes in outputs versus fp32.
# The fp32 export needs RAM for the whole model twice (13B: ~110 GB); export 7B first to try the pipeline.
set -euo pipefail

MODEL=haoranxu/ALMA-7B
OUT=""
PRECISION=fp32
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --precision) PRECISION="$2"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "export-alma: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$PRECISION" in fp32|fp16|int8) ;; *) echo "export-alma: --precision must be fp32, fp16 or int8" >&2; exit 2 ;; esac
[ -n "$OUT" ] || OUT="models/$(basename "$MODEL" | tr '[:upper:]' '[:lower:]')-onnx-$PRECISION"
command -v optimum-cli >/dev/null || { echo "export-alma: optimum-cli not found: pip install \"optimum[onnxruntime]\"" >&2; exit 2; }

RAW="$OUT.export-tmp"
rm -rf "$RAW"
EXTRA=()
if [ "$PRECISION" = fp16 ]; then EXTRA=(--dtype fp16 --device cuda); fi

echo "export-alma: exporting $MODEL ($PRECISION) to $RAW" >&2
# text-generation-with-past: one decoder graph taking and returning the KV cache (optimum's layout).
optimum-cli export onnx --model "$MODEL" --task text-generation-with-past --opset 17 "${EXTRA[@]}" "$RAW"

python3 - "$RAW" "$OUT" "$PRECISION" <<'PY'
import os, shutil, sys
import onnx
from onnx import helper

raw, out, precision = sys.argv[1:4]
src = os.path.join(raw, "model.onnx")
if not os.path.exists(src):
    src = os.path.join(raw, "decoder_model_merged.onnx")
model = onnx.load(src, load_external_data=True)
graph = model.graph
inputs = {i.name for i in graph.input}
for need in ("input_ids", "attention_mask", "position_ids", "past_key_values.0.key"):
    if need not in inputs:
        sys.exit(f"export-alma: exported graph has no input {need}; inputs: {sorted(inputs)}")

# last_hidden_state for /v1/embeddings: the input of the lm_head MatMul that produces `logits`.
producer = {o: n for n in graph.node for o in n.output}
node = producer.get("logits")
while node is not None and node.op_type not in ("MatMul", "Gemm", "FusedMatMul"):
    node = producer.get(node.input[0])
if node is None:
    print("export-alma: lm_head MatMul not found; /v1/embeddings will answer 501", file=sys.stderr)
elif not any(o.name == "last_hidden_state" for o in graph.output):
    hidden = node.input[0]
    graph.node.append(helper.make_node("Identity", [hidden], ["last_hidden_state"], name="phoenix_last_hidden_state"))
    elem = onnx.TensorProto.FLOAT16 if precision == "fp16" else onnx.TensorProto.FLOAT
    graph.output.append(helper.make_tensor_value_info("last_hidden_state", elem, ["batch_size", "sequence_length", None]))

os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
dst = os.path.join(out, "onnx", "model.onnx")
for f in ("model.onnx", "model.onnx_data"):
    if os.path.exists(os.path.join(out, "onnx", f)):
        os.remove(os.path.join(out, "onnx", f))
onnx.save_model(model, dst, save_as_external_data=True, all_tensors_to_one_file=True, location="model.onnx_data", size_threshold=1024)
del model

if precision == "int8":
    from onnxruntime.quantization import QuantType, quantize_dynamic
    q = os.path.join(out, "onnx", "model.int8.onnx")
    quantize_dynamic(dst, q, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"], use_external_data_format=True)
    os.remove(dst)
    os.remove(os.path.join(out, "onnx", "model.onnx_data"))
    m = onnx.load(q, load_external_data=True)
    onnx.save_model(m, dst, save_as_external_data=True, all_tensors_to_one_file=True, location="model.onnx_data", size_threshold=1024)
    os.remove(q)
    for f in os.listdir(os.path.join(out, "onnx")):
        if f not in ("model.onnx", "model.onnx_data"):
            os.remove(os.path.join(out, "onnx", f))

for f in os.listdir(raw):
    if f.endswith(".json") or f.endswith(".model") or f.endswith(".txt"):
        shutil.copy(os.path.join(raw, f), os.path.join(out, f))
if not os.path.exists(os.path.join(out, "tokenizer.json")):
    from transformers import AutoTokenizer
    AutoTokenizer.from_pretrained(raw, use_fast=True).save_pretrained(out)
print(f"export-alma: wrote {out} (onnx/model.onnx + model.onnx_data)", file=sys.stderr)
PY

rm -rf "$RAW"
echo "export-alma: done. Serve it with: phoenix serve --model $OUT" >&2
