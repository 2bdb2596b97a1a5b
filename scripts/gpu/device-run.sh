#!/usr/bin/env bash
# Everything that needs the GPU machine, in one bounded run (each step has its own timeout):
#   1. 20 DPO steps through the TypeScript launcher and TRL (scripts/gpu/dpo-smoke.sh)
#   2. transformers' generate() against the tiny-LLaMA golden, on CUDA too (golden-transformers.py)
#   3. the GPU benchmark: a random LLaMA with ALMA-7B's layer shape exported to ONNX, PyTorch generate()
#      tokens/s (llama-shape-bench.py), then the embedded server's decoding loop on ORT's webgpu provider
#      (native-runtime/inference/tools/bench.ts, bundled) on the same model.
# Prepare here: bash scripts/gpu/device-run.sh --prepare   (fills .tmp/gpu, .whl and .gl; see ../shared/GPU.md)
# Run there:    carry [".tmp/gpu", ".whl", ".gl"], command: bash scripts/gpu/device-run.sh
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
if [[ "${1:-}" == "--prepare" ]]; then
  set -e
  bash scripts/gpu/dpo-smoke.sh --prepare
  tmp=$(mktemp -d)
  node --import tsx native-runtime/inference/tools/make-tiny-llama.ts "$tmp/tiny" >/dev/null
  mkdir -p .tmp/gpu/tok && cp "$tmp/tiny/tokenizer.json" "$tmp/tiny/tokenizer_config.json" .tmp/gpu/tok/
  mkdir -p "$tmp/ort/node_modules/onnxruntime-node/bin/napi-v6"
  cp -r node_modules/onnxruntime-common "$tmp/ort/node_modules/"
  cp -r node_modules/onnxruntime-node/{package.json,dist,lib} "$tmp/ort/node_modules/onnxruntime-node/"
  cp -r node_modules/onnxruntime-node/bin/napi-v6/linux "$tmp/ort/node_modules/onnxruntime-node/bin/napi-v6/"
  npx esbuild native-runtime/inference/tools/bench.ts --bundle --platform=node --format=esm --target=node20 \
    --external:onnxruntime-node --outfile="$tmp/ort/bench.mjs" --log-level=warning \
    --banner:js="import {createRequire as __cr} from 'module';const require=__cr(import.meta.url);"
  tar -cJf .tmp/gpu/ortpkg.tar.xz -C "$tmp/ort" .
  rm -rf "$tmp"
  echo "Python wheels (.whl) and libvulkan1 (.gl): see the device README; this run expects trl, datasets, dill, multiprocess and libvulkan1."
  ls -la .tmp/gpu .whl .gl
  exit 0
fi

OUT=${OUT:-/tmp/out}
export PYTHONUNBUFFERED=1
RES=/tmp/res
mkdir -p "$RES" "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
step() { echo "== $(date +%T) $*"; }

step setup
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
if ! ls /usr/share/vulkan/icd.d/*nvidia* /etc/vulkan/icd.d/*nvidia* >/dev/null 2>&1 && [[ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
fi
python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/trl-*.whl .whl/datasets-*.whl .whl/dill-*.whl
# the mirror here has multiprocess for other Python versions only; it is pure Python
python3 -c "import zipfile,glob; zipfile.ZipFile(glob.glob('.whl/multiprocess-*.whl')[0]).extractall('/tmp/site')"
export PYTHONPATH=/tmp/site
mkdir -p /tmp/node /tmp/ort
xz -dc .tmp/gpu/node.xz > /tmp/node/node && chmod +x /tmp/node/node
export PATH=/tmp/node:$PATH
tar -xJf .tmp/gpu/ortpkg.tar.xz -C /tmp/ort
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c 'import torch, transformers, trl; print("torch", torch.__version__, "transformers", transformers.__version__, "trl", trl.__version__)'

if [[ -z "${ONLY_ORT:-}" ]]; then
step "1. DPO smoke (TRL, TypeScript launcher)"
mkdir -p "$RES/dpo"
OUT="$RES/dpo" timeout 120 bash scripts/gpu/dpo-smoke.sh > "$RES/dpo-smoke.log" 2>&1
echo "dpo-smoke rc $?"
cp "$RES/dpo-smoke.log" "$RES/dpo/"
tar -czf "$OUT/dpo.tgz" -C "$RES" dpo
tail -n 3 "$RES/dpo-smoke.log"

step "2. golden vs transformers on CUDA"
timeout 90 python3 scripts/gpu/golden-transformers.py --device cuda --out "$OUT/golden-cuda.json" 2>&1 | grep -v -i warn
echo "golden rc ${PIPESTATUS[0]}"

fi
if [[ ! -f /tmp/shape/onnx/model.onnx ]]; then
step "3a. export + PyTorch generate()"
timeout 200 python3 scripts/gpu/llama-shape-bench.py /tmp/shape --tokenizer-from .tmp/gpu/tok ${BENCH_ARGS:---layers 4} --report "$OUT/torch-bench.json" 2>&1 | grep -v -i warn
echo "torch bench rc ${PIPESTATUS[0]}"

fi
step "3b. embedded server decoding loop, webgpu"
timeout 120 node /tmp/ort/bench.mjs /tmp/shape --providers webgpu ${ORT_ARGS:---batches 1,8,32 --new 64} > "$OUT/ort-bench.json"
echo "ort bench (KV cache on the GPU) rc $?"
cat "$OUT/ort-bench.json"
step "3c. the same with the KV cache brought back to host memory every step"
timeout 120 node /tmp/ort/bench.mjs /tmp/shape --providers webgpu ${ORT_ARGS:---batches 1,8,32 --new 64} --kv-host > "$OUT/ort-bench-host.json"
echo "ort bench (KV cache on the host) rc $?"
cat "$OUT/ort-bench-host.json"
step done
