#!/usr/bin/env bash
# Optional Python environment for the tests that run the real PyTorch paths on CPU: transformers' generate()
# against the tiny-LLaMA golden, TRL's and the compact trainer's DPO steps, datasets.load_dataset on an
# export. Installs into .tmp/py (ignored by git). Without it those tests skip and print why; nothing else
# needs it. Uses the machine's package index; where a local mirror sits at /opt/pypi (as on the team's
# build machines, which reach no public PyPI) it is used alone so pip does not wait on the network.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=.tmp/py
PKGS=(torch transformers trl datasets accelerate peft onnx onnxruntime numpy)

if [[ -x $VENV/bin/python ]] && $VENV/bin/python -c 'import torch, transformers, trl, datasets, onnxruntime' 2>/dev/null; then
  echo "setup-python: $VENV ready"
  exit 0
fi
python3 -m venv "$VENV" 2>/dev/null || {
  echo "setup-python: python3 -m venv failed (Debian: apt-get install python3-venv); PyTorch tests will skip" >&2
  exit 0
}
args=(--quiet --disable-pip-version-check --retries 1 --timeout 30)
if [[ -d /opt/pypi/simple ]]; then
  args+=(--index-url file:///opt/pypi/simple)
  [[ -d /opt/pypi-more/simple ]] && args+=(--extra-index-url file:///opt/pypi-more/simple)
  [[ -d /opt/wheels ]] && args+=(--find-links /opt/wheels)
else
  # CPU wheels of torch are much smaller than the default CUDA ones.
  args+=(--extra-index-url https://download.pytorch.org/whl/cpu)
fi
echo "setup-python: installing ${PKGS[*]} into $VENV"
"$VENV/bin/pip" install "${args[@]}" "${PKGS[@]}" 2>&1 | grep -v -E "^WARNING: (Location|Retrying)"
[[ ${PIPESTATUS[0]} -eq 0 ]] || echo "setup-python: pip failed; PyTorch tests will skip" >&2
"$VENV/bin/python" -c 'import torch, transformers, trl, datasets; print("setup-python: torch", torch.__version__, "transformers", transformers.__version__, "trl", trl.__version__, "datasets", datasets.__version__)' || echo "setup-python: incomplete; PyTorch tests will skip" >&2
exit 0
