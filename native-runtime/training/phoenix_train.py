#!/usr/bin/env python3
"""Phoenix training runtime: SFT or DPO on an exported dataset folder.

    python phoenix_train.py --config <output>/phoenix-config.json [--resume] [--check-env]
    python -m accelerate.commands.launch [--config_file zero3.yaml] --num_processes N phoenix_train.py --config ...

First the environment is checked; anything missing is reported as ONE JSON line on stdout
({"event": "env-check", "ok": false, "missing": [...], "pip": "..."}) and the process exits with code 3.
Then: TRL's DPOTrainer/SFTTrainer when `trl` imports (trainer "auto" or "trl"), otherwise Phoenix's
compact trainer on transformers' Trainer ("compact"). The NumPy stand-in ("backend": "numpy-standin")
exists only for tests on machines without PyTorch. Every path writes metrics.jsonl, checkpoint-<step>
folders and phoenix-status.json the same way; SIGTERM saves a checkpoint and exits 0 with status
"stopped"; --resume continues from the latest checkpoint.

Exit codes: 0 finished or stopped, 1 failed, 2 bad config or dataset, 3 environment incomplete.
"""
import argparse
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import data as data_mod  # noqa: E402
import env_check  # noqa: E402
import runlog  # noqa: E402

REQUIRED = ("kind", "dataset", "outputDir", "hyperparameters", "seed")


def load_config(path):
    with open(path, encoding="utf-8") as f:
        cfg = json.load(f)
    if not isinstance(cfg, dict):
        raise ValueError("the config must be a JSON object")
    missing = [k for k in REQUIRED if k not in cfg]
    if missing:
        raise ValueError("fields missing: %s (write the config with phoenix train --dry-run or the panel)" % ", ".join(missing))
    if cfg["kind"] not in ("sft", "dpo"):
        raise ValueError("kind must be sft or dpo, got %r" % (cfg["kind"],))
    return cfg


def main(argv=None):
    ap = argparse.ArgumentParser(description="Phoenix SFT/DPO training runtime")
    ap.add_argument("--config", required=True, help="resolved run config (JSON)")
    ap.add_argument("--resume", action="store_true", help="continue from the latest checkpoint-* in the output folder")
    ap.add_argument("--check-env", action="store_true", help="only check the environment and print the JSON line")
    args = ap.parse_args(argv)
    try:
        cfg = load_config(args.config)
    except (OSError, ValueError) as e:
        print("phoenix_train: %s: %s" % (args.config, e), file=sys.stderr, flush=True)
        return runlog.EXIT_CONFIG

    result = env_check.check(cfg, data_mod.needs_parquet(cfg["dataset"]))
    if args.check_env:
        env_check.print_result(result)
        return runlog.EXIT_OK if result["ok"] else runlog.EXIT_ENV
    if not result["ok"]:
        env_check.print_result(result)
        if runlog.is_main_process():
            try:
                files = runlog.RunFiles(cfg)
                files.event("end", status="failed", message=result["message"])
                files.status("failed", message=result["message"], exit_code=runlog.EXIT_ENV, missing=result["missing"], pip=result["pip"])
                files.close()
            except OSError:
                pass
        return runlog.EXIT_ENV

    files = runlog.RunFiles(cfg)
    stop = runlog.StopFlag()
    try:
        if cfg.get("backend") == "numpy-standin":
            import numpy_backend

            return numpy_backend.run(cfg, files, stop, args.resume)
        import torch_runtime

        return torch_runtime.run(cfg, files, stop, args.resume, result)
    except data_mod.DataError as e:
        return runlog.fail(files, str(e), runlog.EXIT_CONFIG)
    except Exception as e:  # the run failed; say why in the status the panel shows
        files.log(traceback.format_exc().rstrip())
        return runlog.fail(files, "%s: %s" % (type(e).__name__, e))
    finally:
        files.close()


if __name__ == "__main__":
    sys.exit(main())
