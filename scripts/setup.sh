#!/usr/bin/env bash
# Installs what Phoenix's tests and `npm run open-samples` need on a fresh Debian/Ubuntu machine:
# Chromium (webview and end-to-end tests), libkrb5-dev (code-server's native `kerberos` module),
# and the npm dependencies. Run as root or with sudo available. code-server itself is installed
# on first use into .vscode-test/ by test/e2e/harness/code-server.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "Node.js >= 20 with npm is required first (e.g. apt-get install -y nodejs npm, or nodesource)" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else echo "run as root (or install sudo)" >&2; exit 1; fi
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
# node-gyp (code-server's native modules) needs a compiler, make and python3.
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "apt-get install: ${missing[*]}"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# onnxruntime-node's install script downloads a CUDA provider from NuGet; skip it (works offline).
ONNXRUNTIME_NODE_INSTALL=skip npm ci

# Optional: PyTorch, transformers, TRL and datasets (CPU) for the tests of the real Python paths.
bash scripts/setup-python.sh
