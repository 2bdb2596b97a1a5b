"""A NumPy STAND-IN for PyTorch, used only when the config says "backend": "numpy-standin".

It exists so the run protocol (metrics.jsonl, checkpoints, SIGTERM -> checkpoint + status "stopped",
--resume) can be tested for real on machines without PyTorch. It is not the product path and trains
no language model: the "policy" is a log-linear toy model over bag-of-words features,

    log p(token | prompt) = log_softmax(W @ phi(prompt))[token],   log p(y | x) = sum over y's tokens,

trained with the same DPO sigmoid loss as the real trainers,
    -logsigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r))),
against a frozen reference (the initial weights), or with token-level NLL for SFT. AdamW, gradient
clipping at 1.0, gradient accumulation and transformers' warmup + cosine schedule are reproduced so the
metrics have the same meaning (rewards = beta * (logp - ref_logp)).
"""
import json
import math
import os
import re
import shutil
import time

import numpy as np

import data as data_mod
import runlog

WORD = re.compile(r"\w+", re.UNICODE)
MAX_FEATURES = 4096
MAX_VOCAB = 8192


def tokens(text):
    return WORD.findall(text.lower())


def _joined(msgs):
    return " ".join(m["content"] for m in msgs)


class Featurizer:
    def __init__(self, prompts, completions):
        vocab = {}
        for t in completions:
            for w in tokens(t):
                vocab[w] = vocab.get(w, 0) + 1
        words = sorted(vocab, key=lambda w: (-vocab[w], w))[: MAX_VOCAB - 1]
        self.vocab = {w: i + 1 for i, w in enumerate(words)}  # 0 = unknown
        feats = {}
        for t in prompts:
            for w in set(tokens(t)):
                feats[w] = feats.get(w, 0) + 1
        fwords = sorted(feats, key=lambda w: (-feats[w], w))[: MAX_FEATURES - 1]
        self.features = {w: i + 1 for i, w in enumerate(fwords)}  # 0 = bias
        self.V = len(self.vocab) + 1
        self.F = len(self.features) + 1

    def phi(self, prompt):
        v = np.zeros(self.F)
        v[0] = 1.0
        ws = [self.features[w] for w in tokens(prompt) if w in self.features]
        for j in ws:
            v[j] += 1.0 / math.sqrt(len(ws))
        return v

    def counts(self, text):
        c = np.zeros(self.V)
        for w in tokens(text):
            c[self.vocab.get(w, 0)] += 1.0
        return c


def _log_softmax(z):
    z = z - z.max()
    return z - math.log(np.exp(z).sum())


class Example:
    __slots__ = ("phi", "c", "r", "nc", "nr")

    def __init__(self, phi, c, r):
        self.phi, self.c, self.r = phi, c, r
        self.nc = float(c.sum())
        self.nr = float(r.sum()) if r is not None else 0.0


def build_examples(cfg, rows):
    if cfg["kind"] == "dpo":
        exs = data_mod.dpo_examples(rows)
        prompts = [_joined(e["prompt"]) for e in exs]
        comps = [_joined(e["chosen"]) for e in exs] + [_joined(e["rejected"]) for e in exs]
        fz = Featurizer(prompts, comps)
        return fz, [Example(fz.phi(p), fz.counts(_joined(e["chosen"])), fz.counts(_joined(e["rejected"]))) for p, e in zip(prompts, exs)]
    exs = data_mod.sft_examples(rows)
    prompts, comps = [], []
    for e in exs:
        prompts.append(_joined([m for m in e["messages"] if m["role"] != "assistant"]))
        comps.append(_joined([m for m in e["messages"] if m["role"] == "assistant"]))
    fz = Featurizer(prompts, comps)
    return fz, [Example(fz.phi(p), fz.counts(c), None) for p, c in zip(prompts, comps)]


def dpo_micro(W, W_ref, batch, beta):
    """Loss, gradient and TRL-style statistics of one micro-batch."""
    G = np.zeros_like(W)
    stats = {"loss": 0.0, "rc": 0.0, "rr": 0.0, "acc": 0.0, "lc": 0.0, "lr": 0.0}
    for ex in batch:
        ls = _log_softmax(W @ ex.phi)
        ls_ref = _log_softmax(W_ref @ ex.phi)
        pc, pr = ex.c @ ls, ex.r @ ls
        rc, rr = ex.c @ ls_ref, ex.r @ ls_ref
        h = (pc - rc) - (pr - rr)
        x = beta * h
        loss = math.log1p(math.exp(-x)) if x > -30 else -x  # -logsigmoid(x)
        dl_dh = -beta / (1.0 + math.exp(x)) if x < 30 else 0.0
        p = np.exp(ls)
        dz = dl_dh * ((ex.c - ex.r) - (ex.nc - ex.nr) * p)
        G += np.outer(dz, ex.phi)
        chosen_reward, rejected_reward = beta * (pc - rc), beta * (pr - rr)
        stats["loss"] += loss
        stats["rc"] += chosen_reward
        stats["rr"] += rejected_reward
        stats["acc"] += 1.0 if chosen_reward > rejected_reward else 0.0
        stats["lc"] += pc
        stats["lr"] += pr
    n = float(len(batch))
    return G / n, {k: v / n for k, v in stats.items()}


def sft_micro(W, batch):
    G = np.zeros_like(W)
    total = sum(ex.nc for ex in batch) or 1.0
    nll = 0.0
    for ex in batch:
        ls = _log_softmax(W @ ex.phi)
        nll -= ex.c @ ls
        dz = -(ex.c - ex.nc * np.exp(ls))
        G += np.outer(dz, ex.phi)
    return G / total, {"loss": nll / total}


class AdamW:
    def __init__(self, shape, weight_decay=0.0):
        self.m = np.zeros(shape)
        self.v = np.zeros(shape)
        self.t = 0
        self.wd = weight_decay

    def step(self, W, G, lr, b1=0.9, b2=0.999, eps=1e-8):
        self.t += 1
        self.m = b1 * self.m + (1 - b1) * G
        self.v = b2 * self.v + (1 - b2) * G * G
        mh = self.m / (1 - b1 ** self.t)
        vh = self.v / (1 - b2 ** self.t)
        W -= lr * (mh / (np.sqrt(vh) + eps) + self.wd * W)


def save_checkpoint(output_dir, step, W, W_ref, opt, epoch, featurizer_sizes):
    name = "checkpoint-%d" % step
    final = os.path.join(output_dir, name)
    tmp = final + ".tmp-%d" % os.getpid()
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    os.makedirs(tmp)
    np.savez(os.path.join(tmp, "standin_model.npz"), W=W, W_ref=W_ref, m=opt.m, v=opt.v, t=np.array(opt.t))
    with open(os.path.join(tmp, "trainer_state.json"), "w") as f:
        json.dump({"global_step": step, "epoch": epoch, "backend": "numpy-standin", "shape": list(featurizer_sizes)}, f)
    if os.path.exists(final):
        shutil.rmtree(final)
    os.replace(tmp, final)
    return name


def run(cfg, files, stop, resume):
    hp = cfg["hyperparameters"]
    kind = cfg["kind"]
    beta = float(hp.get("beta", 0.1))
    batch_size = int(hp["perDeviceTrainBatchSize"])
    accum = int(hp["gradientAccumulationSteps"])
    delay = float(cfg.get("standinStepDelaySeconds") or 0)
    rows = data_mod.read_rows(cfg["dataset"])
    if not rows:
        raise data_mod.DataError("%s: the train split is empty" % cfg["dataset"])
    fz, examples = build_examples(cfg, rows)
    n = len(examples)
    steps_per_epoch = max(1, int(math.ceil(n / float(batch_size))) // accum)
    total = int(hp["maxSteps"]) if int(hp.get("maxSteps") or 0) > 0 else int(math.ceil(steps_per_epoch * float(hp["numTrainEpochs"])))

    rng = np.random.default_rng(int(cfg["seed"]))
    W = rng.normal(0.0, 0.01, size=(fz.V, fz.F))
    W_ref = W.copy()
    opt = AdamW(W.shape)
    step = 0
    resumed_from = None
    if resume:
        ckpt = runlog.latest_checkpoint(cfg["outputDir"])
        if ckpt is None:
            raise data_mod.DataError("--resume: no checkpoint-* folder in %s" % cfg["outputDir"])
        z = np.load(os.path.join(ckpt, "standin_model.npz"))
        if z["W"].shape != W.shape:
            raise data_mod.DataError("%s does not match this dataset (model shape %s, expected %s)" % (ckpt, z["W"].shape, W.shape))
        W, W_ref, opt.m, opt.v, opt.t = z["W"].copy(), z["W_ref"].copy(), z["m"].copy(), z["v"].copy(), int(z["t"])
        with open(os.path.join(ckpt, "trainer_state.json")) as f:
            step = int(json.load(f)["global_step"])
        resumed_from = os.path.basename(ckpt)

    files.event("start", step=step, total_steps=total, backend="numpy-standin", trainer="numpy-standin (a stand-in for PyTorch)", resumed_from=resumed_from, pid=os.getpid(), examples=n)
    files.status("running", step=step, total_steps=total, checkpoint=resumed_from)
    files.log("NumPy stand-in for PyTorch: %s on %d examples, %d steps%s" % (kind.upper(), n, total, " (resumed from %s)" % resumed_from if resumed_from else ""), event=True)

    log_every = int(hp["loggingSteps"])
    save_every = int(hp["saveSteps"])
    acc = {}
    acc_n = 0
    last_saved = None
    order_epoch = -1
    order = None
    while step < total:
        if stop.requested:
            break
        epoch_i = step // steps_per_epoch
        if epoch_i != order_epoch:
            order = np.random.default_rng(int(cfg["seed"]) + epoch_i).permutation(n)
            order_epoch = epoch_i
        pos = (step % steps_per_epoch) * batch_size * accum
        G = np.zeros_like(W)
        stats_sum = {}
        micro = 0
        for a in range(accum):
            idx = order[(pos + a * batch_size) % n: (pos + a * batch_size) % n + batch_size]
            if len(idx) == 0:
                continue
            batch = [examples[i] for i in idx]
            g, st = dpo_micro(W, W_ref, batch, beta) if kind == "dpo" else sft_micro(W, batch)
            G += g
            micro += 1
            for k, v in st.items():
                stats_sum[k] = stats_sum.get(k, 0.0) + v
        G /= max(1, micro)
        grad_norm = float(np.sqrt((G * G).sum()))
        if grad_norm > 1.0:
            G *= 1.0 / grad_norm
        lr = runlog.lr_at(step, float(hp["learningRate"]), total, float(hp["warmupRatio"]), hp["lrScheduler"])
        opt.step(W, G, lr)
        step += 1
        for k, v in stats_sum.items():
            acc[k] = acc.get(k, 0.0) + v / max(1, micro)
        acc["grad_norm"] = acc.get("grad_norm", 0.0) + grad_norm
        acc["learning_rate"] = lr
        acc_n += 1
        if step % log_every == 0 or step == total:
            fields = {"epoch": step / float(steps_per_epoch), "loss": acc["loss"] / acc_n, "learning_rate": acc["learning_rate"], "grad_norm": acc["grad_norm"] / acc_n}
            if kind == "dpo":
                rc, rr = acc["rc"] / acc_n, acc["rr"] / acc_n
                fields.update({
                    "rewards/chosen": rc,
                    "rewards/rejected": rr,
                    "rewards/accuracies": acc["acc"] / acc_n,
                    "rewards/margins": rc - rr,
                    "logps/chosen": acc["lc"] / acc_n,
                    "logps/rejected": acc["lr"] / acc_n,
                })
            files.metric(step, fields)
            acc, acc_n = {}, 0
        if step % save_every == 0 and step < total:
            last_saved = save_checkpoint(cfg["outputDir"], step, W, W_ref, opt, step / float(steps_per_epoch), (fz.V, fz.F))
            files.event("checkpoint", step=step, path=last_saved)
            files.status("running", step=step, total_steps=total, checkpoint=last_saved)
        if delay:
            time.sleep(delay)

    epoch = step / float(steps_per_epoch)
    if stop.requested and step < total:
        name = save_checkpoint(cfg["outputDir"], step, W, W_ref, opt, epoch, (fz.V, fz.F))
        files.event("checkpoint", step=step, path=name)
        files.log("%s received: saved %s, stopping" % (stop.signal_name, name), event=True)
        files.event("end", status="stopped", step=step, message="stopped at step %d (%s)" % (step, name))
        files.status("stopped", step=step, total_steps=total, checkpoint=name, exit_code=0, message="stopped at step %d; resume continues from %s" % (step, name))
        return runlog.EXIT_OK
    name = save_checkpoint(cfg["outputDir"], step, W, W_ref, opt, epoch, (fz.V, fz.F))
    files.event("checkpoint", step=step, path=name)
    files.log("finished after %d steps" % step, event=True)
    files.event("end", status="finished", step=step)
    files.status("finished", step=step, total_steps=total, checkpoint=name, exit_code=0)
    return runlog.EXIT_OK
