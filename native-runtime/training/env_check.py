"""What a run needs from the Python environment, checked before anything heavy is imported.

The result is ONE JSON line on stdout: {"event": "env-check", "ok": ..., "missing": [...], "pip": "..."}.
A run with something missing exits with code 3 (runlog.EXIT_ENV) so callers can tell it from a crash.
"""
import importlib.util
import json
import shlex
import sys

try:
    from importlib import metadata as _metadata
except ImportError:  # pragma: no cover
    _metadata = None

MIN_PYTHON = (3, 9)

# import name -> pip package
PIP_NAMES = {
    "torch": "torch",
    "transformers": "transformers",
    "accelerate": "accelerate",
    "datasets": "datasets",
    "pyarrow": "pyarrow",
    "peft": "peft",
    "bitsandbytes": "bitsandbytes",
    "deepspeed": "deepspeed",
    "trl": "trl",
    "numpy": "numpy",
}


def _present(name):
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _version(name):
    if _metadata is None:
        return None
    try:
        return _metadata.version(PIP_NAMES.get(name, name))
    except Exception:
        return None


def requirements(cfg, needs_parquet):
    """(required, optional) import names for this config."""
    if cfg.get("backend") == "numpy-standin":
        return ["numpy"] + (["pyarrow"] if needs_parquet else []), []
    required = ["torch", "transformers", "accelerate"]
    if needs_parquet and not (_present("datasets") or _present("pyarrow")):
        required.append("datasets")
    method = cfg.get("method", "full")
    if method in ("lora", "qlora"):
        required.append("peft")
    if method == "qlora":
        required.append("bitsandbytes")
    if cfg.get("launcher") == "deepspeed-zero3":
        required.append("deepspeed")
    optional = []
    trainer = cfg.get("trainer", "auto")
    if trainer == "trl":
        required.append("trl")
    elif trainer == "auto":
        optional.append("trl")
    return required, optional


def check(cfg, needs_parquet=False):
    required, optional = requirements(cfg, needs_parquet)
    missing = [m for m in required if not _present(m)]
    problems = []
    py_ok = sys.version_info[:2] >= MIN_PYTHON
    if not py_ok:
        problems.append("Python %d.%d+ is needed, this is %s" % (MIN_PYTHON + (sys.version.split()[0],)))
    cuda = None
    gpus = 0
    if "torch" in required and not missing:
        try:
            import torch  # noqa: F401  (imported only once everything else is known to be there)

            cuda = bool(torch.cuda.is_available())
            gpus = torch.cuda.device_count() if cuda else 0
        except Exception as e:  # a broken install counts as missing
            missing.append("torch")
            problems.append("torch does not import: %s" % e)
    if cuda is False and cfg.get("launcher") in ("accelerate", "deepspeed-zero3") and int(cfg.get("numGpus", 1)) > 1:
        problems.append("no CUDA device is visible, but the run asks for %s GPUs" % cfg.get("numGpus"))
    elif cuda and gpus < int(cfg.get("numGpus", 1)):
        problems.append("%d CUDA device(s) visible, the run asks for %s" % (gpus, cfg.get("numGpus")))
    if cuda is False and cfg.get("method") == "qlora":
        problems.append("qlora (bitsandbytes 4-bit) needs a CUDA device")
    pip = None
    if missing:
        pip = " ".join([shlex.quote(sys.executable), "-m", "pip", "install"] + [PIP_NAMES[m] for m in missing])
    ok = not missing and not problems
    msg = []
    if missing:
        msg.append("missing Python packages: %s; install with: %s" % (", ".join(missing), pip))
    msg.extend(problems)
    return {
        "event": "env-check",
        "ok": ok,
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "missing": missing,
        "optional_missing": [m for m in optional if not _present(m)],
        "versions": {m: _version(m) for m in required + optional if _present(m)},
        "cuda": cuda,
        "gpus": gpus,
        "problems": problems,
        "pip": pip,
        "message": "; ".join(msg) if msg else "environment ok",
    }


def print_result(result):
    print(json.dumps(result), flush=True)
