#!/usr/bin/env bash
# DPO smoke test on a GPU: a tiny random-weight Mistral-architecture model, a small trivially separable
# exported set, 20 DPO steps through the real launcher (TypeScript core: config, registry, argument list,
# child process) and the Python runtime; asserts loss falls and rewards/accuracies > 0.5, and that every
# metrics line is in the panel's format.
#
# Here (with Node and node_modules), once:   bash scripts/gpu/dpo-smoke.sh --prepare
#   bundles the launcher to .tmp/gpu/launch.cjs and packs this Node binary as .tmp/gpu/node.xz
#   (the GPU image has no Node; see ../shared/GPU.md).
# On the GPU machine:                        bash scripts/gpu/dpo-smoke.sh      (carry: [".tmp/gpu"])
#   writes smoke-summary.json, metrics.jsonl, train.log and the launcher output to $OUT.
# Without .tmp/gpu it falls back to starting phoenix_train.py directly (and says so).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GPU_DIR="$ROOT/.tmp/gpu"
PY=${PYTHON:-python3}

if [[ "${1:-}" == "--prepare" ]]; then
  mkdir -p "$GPU_DIR"
  (cd "$ROOT" && npx esbuild scripts/gpu/dpo-smoke.launch.ts --bundle --platform=node --format=cjs --target=node20 --outfile="$GPU_DIR/launch.cjs" --log-level=warning)
  xz -T2 -6 -c "$(command -v node)" > "$GPU_DIR/node.xz"
  ls -la "$GPU_DIR"
  exit 0
fi

OUT=${OUT:-$(mktemp -d)}
WORK=$(mktemp -d)
echo "work: $WORK  out: $OUT"
"$PY" -c 'import sys, torch, transformers; print("python", sys.version.split()[0], "torch", torch.__version__, "transformers", transformers.__version__, "cuda", torch.cuda.is_available())'
"$PY" "$ROOT/scripts/gpu/dpo-smoke.py" make-model "$WORK/model"
"$PY" "$ROOT/scripts/gpu/dpo-smoke.py" make-data "$WORK/data/dpo"

NODE=$(command -v node || true)
if [[ -z "$NODE" && -f "$GPU_DIR/node.xz" ]]; then
  xz -dc "$GPU_DIR/node.xz" > "$WORK/node"
  chmod +x "$WORK/node"
  NODE="$WORK/node"
fi
rc=0
if [[ -n "$NODE" && -f "$GPU_DIR/launch.cjs" ]]; then
  "$NODE" "$GPU_DIR/launch.cjs" "$WORK" "$PY" "$ROOT" | tee "$OUT/launcher.jsonl" || rc=$?
else
  echo "no Node or no .tmp/gpu/launch.cjs: FALLBACK, phoenix_train.py started directly (not the TypeScript launcher)"
  "$PY" "$ROOT/scripts/gpu/dpo-smoke.py" run "$WORK" || rc=$?
fi
for f in metrics.jsonl train.log stdout.log phoenix-status.json phoenix-config.json; do
  [[ -f "$WORK/runs/smoke/$f" ]] && cp "$WORK/runs/smoke/$f" "$OUT/" || true
done
if [[ $rc -ne 0 ]]; then
  echo "run failed (rc $rc); last lines:"; tail -n 40 "$WORK/runs/smoke/stdout.log" 2>/dev/null || true
  exit $rc
fi
"$PY" "$ROOT/scripts/gpu/dpo-smoke.py" check "$WORK/runs/smoke" | tee "$OUT/smoke-summary.json"
