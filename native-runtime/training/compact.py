"""Phoenix's compact SFT/DPO trainer on transformers' Trainer, for environments without TRL.

DPO: the sigmoid loss -logsigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r))), where pi/ref are log-probs
summed over the completion tokens only (the prompt and padding are masked), against a frozen reference:
a frozen copy of the initial weights for full fine-tuning, the same model with its LoRA adapter disabled
for LoRA/QLoRA. Logged like TRL: rewards = beta * (logp - ref_logp), accuracies, margins, logps.
Tokenization follows TRL: prompt and completion are tokenized separately, the prompt is cut from the
left to max_prompt_length, then completions to max_length.
SFT: the loss covers the assistant turns only.
"""
import copy
from collections import defaultdict

import torch
import torch.nn.functional as F
from transformers import Trainer, TrainingArguments

import data as data_mod

IGNORE = -100


def _ids(tok, text):
    return tok(text, add_special_tokens=False)["input_ids"]


def _render(tok, messages, generation_prompt):
    return tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)


def _with_bos(tok, ids):
    bos = tok.bos_token_id
    if bos is not None and (not ids or ids[0] != bos):
        return [bos] + ids
    return ids


def _completion_ids(tok, prompt_text, prompt_msgs, answer_msgs):
    full = _render(tok, prompt_msgs + answer_msgs, False)
    text = full[len(prompt_text):] if full.startswith(prompt_text) else "".join(m["content"] for m in answer_msgs)
    ids = _ids(tok, text)
    if tok.eos_token_id is not None and (not ids or ids[-1] != tok.eos_token_id):
        ids.append(tok.eos_token_id)
    return ids


def tokenize_dpo(tok, ex, max_length, max_prompt_length):
    prompt_text = _render(tok, ex["prompt"], True)
    p = _with_bos(tok, _ids(tok, prompt_text))
    c = _completion_ids(tok, prompt_text, ex["prompt"], ex["chosen"])
    r = _completion_ids(tok, prompt_text, ex["prompt"], ex["rejected"])
    if len(p) + max(len(c), len(r)) > max_length:
        p = p[-max_prompt_length:]
    room = max(1, max_length - len(p))
    return {"prompt": p, "chosen": c[:room], "rejected": r[:room]}


def tokenize_sft(tok, ex, max_seq_length):
    msgs = ex["messages"]
    ids, labels = [], []
    done = ""
    stable = True
    for i, m in enumerate(msgs):
        if m["role"] != "assistant":
            continue
        before = _render(tok, msgs[:i], True)
        after = _render(tok, msgs[: i + 1], False)
        if not (before.startswith(done) and after.startswith(before)):
            stable = False
            break
        ctx = _ids(tok, before[len(done):])
        ans = _ids(tok, after[len(before):])
        ids += ctx + ans
        labels += [IGNORE] * len(ctx) + ans
        done = after
    if not stable or not ids:
        # The template is not prefix-stable: train on the whole conversation.
        ids = _ids(tok, _render(tok, msgs, False))
        labels = list(ids)
    ids = _with_bos(tok, ids)
    if len(ids) > len(labels):
        labels = [IGNORE] + labels
    return {"input_ids": ids[:max_seq_length], "labels": labels[:max_seq_length]}


class ListDataset(torch.utils.data.Dataset):
    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def _pad(seqs, value):
    n = max(len(s) for s in seqs)
    return torch.tensor([s + [value] * (n - len(s)) for s in seqs], dtype=torch.long)


class DpoCollator:
    """Chosen rows first, then rejected rows: prompt + completion, labels only on the completion."""

    def __init__(self, pad_id):
        self.pad_id = pad_id

    def __call__(self, feats):
        seqs, labels = [], []
        for key in ("chosen", "rejected"):
            for f in feats:
                seqs.append(f["prompt"] + f[key])
                labels.append([IGNORE] * len(f["prompt"]) + f[key])
        return {
            "input_ids": _pad(seqs, self.pad_id),
            "attention_mask": _pad([[1] * len(s) for s in seqs], 0),
            "labels": _pad(labels, IGNORE),
        }


class SftCollator:
    def __init__(self, pad_id):
        self.pad_id = pad_id

    def __call__(self, feats):
        return {
            "input_ids": _pad([f["input_ids"] for f in feats], self.pad_id),
            "attention_mask": _pad([[1] * len(f["input_ids"]) for f in feats], 0),
            "labels": _pad([f["labels"] for f in feats], IGNORE),
        }


def sequence_logps(model, batch):
    """Sum of log p(token) over the labelled (completion) tokens of each row."""
    out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], use_cache=False)
    logits = out.logits[:, :-1, :].float()
    labels = batch["labels"][:, 1:]
    mask = labels != IGNORE
    safe = labels.masked_fill(~mask, 0)
    token_logps = torch.gather(logits, 2, safe.unsqueeze(-1)).squeeze(-1) - torch.logsumexp(logits, dim=-1)
    return (token_logps * mask).sum(-1)


class CompactDpoTrainer(Trainer):
    def __init__(self, *args, beta=0.1, ref_model=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.beta = beta
        self.ref_model = ref_model
        self._stats = defaultdict(list)
        # The loss below is a mean per batch: Trainer must scale it for gradient accumulation itself.
        self.model_accepts_loss_kwargs = False
        if self.ref_model is not None:
            self.ref_model.to(self.args.device)

    def _reference_logps(self, model, batch):
        with torch.no_grad():
            if self.ref_model is not None:
                return sequence_logps(self.ref_model, batch)
            unwrapped = self.accelerator.unwrap_model(model)
            with unwrapped.disable_adapter():
                return sequence_logps(model, batch)

    def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
        logps = sequence_logps(model, inputs)
        ref = self._reference_logps(model, inputs)
        n = logps.shape[0] // 2
        pc, pr = logps[:n], logps[n:]
        rc, rr = ref[:n].to(logps.dtype), ref[n:].to(logps.dtype)
        loss = -F.logsigmoid(self.beta * ((pc - rc) - (pr - rr))).mean()
        chosen = (self.beta * (pc - rc)).detach()
        rejected = (self.beta * (pr - rr)).detach()
        gather = self.accelerator.gather_for_metrics
        self._stats["rewards/chosen"].append(gather(chosen).mean().item())
        self._stats["rewards/rejected"].append(gather(rejected).mean().item())
        self._stats["rewards/accuracies"].append(gather((chosen > rejected).float()).mean().item())
        self._stats["rewards/margins"].append(gather(chosen - rejected).mean().item())
        self._stats["logps/chosen"].append(gather(pc.detach()).mean().item())
        self._stats["logps/rejected"].append(gather(pr.detach()).mean().item())
        return (loss, {"logits": logps.detach()}) if return_outputs else loss

    def log(self, logs, *args, **kwargs):
        if "loss" in logs and self._stats:
            for k, v in self._stats.items():
                logs[k] = sum(v) / len(v)
            self._stats.clear()
        return super().log(logs, *args, **kwargs)


def build_trainer(cfg, files, tok, model, bf16, callback, lora, values, build_dataclass, add_warmup, call_supported):
    hp = cfg["hyperparameters"]
    rows = data_mod.read_rows(cfg["dataset"])
    if not rows:
        raise data_mod.DataError("%s: the train split is empty" % cfg["dataset"])
    ref_model = None
    if lora is not None:
        import peft

        if cfg["method"] == "qlora":
            model = peft.prepare_model_for_kbit_training(model, use_gradient_checkpointing=bool(hp.get("gradientCheckpointing")))
        model = peft.get_peft_model(model, lora)
        if hp.get("gradientCheckpointing"):
            model.enable_input_require_grads()
    elif cfg["kind"] == "dpo":
        ref_model = copy.deepcopy(model).eval()
        for p in ref_model.parameters():
            p.requires_grad_(False)
    if cfg["kind"] == "dpo":
        items = [tokenize_dpo(tok, ex, int(hp["maxLength"]), int(hp["maxPromptLength"])) for ex in data_mod.dpo_examples(rows)]
        collator = DpoCollator(tok.pad_token_id)
    else:
        items = [tokenize_sft(tok, ex, int(hp["maxSeqLength"])) for ex in data_mod.sft_examples(rows)]
        collator = SftCollator(tok.pad_token_id)
    files.log("compact trainer: %d examples tokenized" % len(items))
    values["remove_unused_columns"] = False
    args = build_dataclass(TrainingArguments, add_warmup(values, TrainingArguments, hp["warmupRatio"]), files)
    kwargs = {"model": model, "args": args, "train_dataset": ListDataset(items), "data_collator": collator, "callbacks": [callback], "processing_class": tok, "tokenizer": tok}
    if cfg["kind"] == "dpo":
        kwargs = call_supported(Trainer.__init__, kwargs, files, "Trainer")
        if "processing_class" in kwargs:
            kwargs.pop("tokenizer", None)
        return CompactDpoTrainer(beta=float(hp["beta"]), ref_model=ref_model, **kwargs)
    kwargs = call_supported(Trainer.__init__, kwargs, files, "Trainer")
    if "processing_class" in kwargs:
        kwargs.pop("tokenizer", None)
    return Trainer(**kwargs)
