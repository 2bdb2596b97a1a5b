"""The files a run writes, shared by every backend (TRL, compact trainer, NumPy stand-in).

metrics.jsonl: one JSON object per line, flushed per line. Metric lines carry "step" (and the fields
TRL logs: loss, learning_rate, grad_norm, rewards/*, logps/*, epoch); event lines carry "event"
(start, checkpoint, end, log). phoenix-status.json is rewritten atomically and says how the run stands;
the extension settles a run from it after a window reload. Only the main process (rank 0) writes.
"""
import json
import math
import os
import re
import signal
import sys
import time

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_ENV = 3


def is_main_process():
    return int(os.environ.get("RANK", "0")) == 0


def _clean(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item"):
        try:
            return _clean(v.item())
        except (TypeError, ValueError):
            return None
    return v


class RunFiles:
    def __init__(self, cfg):
        out = cfg["outputDir"]
        self.output_dir = out
        self.metrics_path = cfg.get("metricsPath") or os.path.join(out, "metrics.jsonl")
        self.status_path = cfg.get("statusPath") or os.path.join(out, "phoenix-status.json")
        self.log_path = cfg.get("logPath") or os.path.join(out, "train.log")
        self.main = is_main_process()
        self._metrics = None
        self._log = None
        if self.main:
            os.makedirs(out, exist_ok=True)
            self._metrics = open(self.metrics_path, "a", encoding="utf-8")
            self._log = open(self.log_path, "a", encoding="utf-8")

    def _write(self, obj):
        if not self._metrics:
            return
        self._metrics.write(json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n")
        self._metrics.flush()

    def event(self, name, **fields):
        self._write({"event": name, "time": time.time(), **{k: _clean(v) for k, v in fields.items()}})

    def metric(self, step, fields):
        line = {"step": int(step), "time": time.time()}
        for k, v in fields.items():
            v = _clean(v)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                line[k] = v
        self._write(line)

    def status(self, status, **fields):
        if not self.main:
            return
        obj = {"status": status, "pid": os.getpid(), "time": time.time(), **{k: _clean(v) for k, v in fields.items()}}
        tmp = "%s.tmp-%d" % (self.status_path, os.getpid())
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(obj, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.status_path)

    def log(self, message, event=False):
        line = "%s %s" % (time.strftime("%H:%M:%S"), message)
        if self.main:
            print(line, flush=True)
            if self._log:
                self._log.write(line + "\n")
                self._log.flush()
            if event:
                self.event("log", message=message)

    def close(self):
        for f in (self._metrics, self._log):
            if f:
                f.close()


class StopFlag:
    """SIGTERM (and SIGINT, SIGHUP) ask for a stop: the trainer saves a checkpoint at the next step boundary."""

    def __init__(self):
        self.requested = False
        self.signal_name = None
        signal.signal(signal.SIGTERM, self._handler)
        signal.signal(signal.SIGINT, self._handler)
        # A terminal that goes away (a task terminal VS Code did not keep) sends SIGHUP: checkpoint too.
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, self._handler)

    def _handler(self, signum, _frame):
        self.requested = True
        self.signal_name = signal.Signals(signum).name


CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")


def checkpoints(output_dir):
    """checkpoint-<step> folders, oldest first."""
    if not os.path.isdir(output_dir):
        return []
    found = []
    for name in os.listdir(output_dir):
        m = CHECKPOINT.match(name)
        if m and os.path.isdir(os.path.join(output_dir, name)):
            found.append((int(m.group(1)), name))
    return [name for _, name in sorted(found)]


def latest_checkpoint(output_dir):
    cps = checkpoints(output_dir)
    return os.path.join(output_dir, cps[-1]) if cps else None


def lr_at(step, base_lr, total_steps, warmup_ratio, scheduler):
    """The learning rate of optimizer step `step` (0-based), as transformers' schedulers compute it."""
    warmup = int(math.ceil(total_steps * warmup_ratio))
    if scheduler == "constant":
        return base_lr
    if step < warmup:
        return base_lr * float(step) / float(max(1, warmup))
    if scheduler == "constant_with_warmup":
        return base_lr
    progress = float(step - warmup) / float(max(1, total_steps - warmup))
    if scheduler == "linear":
        return base_lr * max(0.0, 1.0 - progress)
    return base_lr * max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))


def fail(files, message, code=EXIT_FAILED, step=None):
    if files is not None:
        files.log("error: %s" % message)
        files.event("end", status="failed", message=message, step=step)
        files.status("failed", message=message, exit_code=code, step=step)
    else:
        print(message, file=sys.stderr, flush=True)
    return code
