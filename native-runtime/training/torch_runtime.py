"""SFT/DPO with PyTorch: TRL's trainers when `trl` imports, else the compact trainer (compact.py).

Both go through transformers' Trainer, so checkpoints (checkpoint-<step>, resumable with optimizer and
scheduler state), gradient accumulation, bf16 and accelerate/DeepSpeed come from there. PhoenixCallback
turns Trainer's logs into metrics.jsonl lines and SIGTERM into "save a checkpoint, then stop".
"""
import dataclasses
import inspect
import os

import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback

import data as data_mod
import runlog

# alignment-handbook's DEFAULT_CHAT_TEMPLATE (Zephyr), used when the base model's tokenizer has none.
ZEPHYR_TEMPLATE = (
    "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n"
    "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}"
)

METRIC_KEYS = ("loss", "learning_rate", "grad_norm", "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected")


def _version_tuple(v):
    out = []
    for part in v.split(".")[:2]:
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


def build_dataclass(cls, values, files):
    """cls(**values) keeping only the fields this library version has (names move between versions)."""
    names = {f.name for f in dataclasses.fields(cls)}
    dropped = sorted(k for k in values if k not in names)
    if dropped:
        files.log("%s has no %s in this version; left out" % (cls.__name__, ", ".join(dropped)))
    return cls(**{k: v for k, v in values.items() if k in names})


def call_supported(fn, kwargs, files, what):
    params = inspect.signature(fn).parameters
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return kwargs
    dropped = sorted(k for k in kwargs if k not in params)
    if dropped:
        files.log("%s takes no %s in this version; left out" % (what, ", ".join(dropped)))
    return {k: v for k, v in kwargs.items() if k in params}


class PhoenixCallback(TrainerCallback):
    """Trainer events -> metrics.jsonl / phoenix-status.json; SIGTERM -> checkpoint and stop."""

    def __init__(self, files, stop, trainer_name, resumed_from):
        self.files = files
        self.stop = stop
        self.trainer_name = trainer_name
        self.resumed_from = resumed_from
        self.stopped_at = None
        self.total = None

    def on_train_begin(self, args, state, control, **kwargs):
        self.total = state.max_steps
        if state.is_world_process_zero:
            self.files.event("start", step=state.global_step, total_steps=state.max_steps, backend="torch", trainer=self.trainer_name, resumed_from=self.resumed_from, pid=os.getpid())
            self.files.status("running", step=state.global_step, total_steps=state.max_steps, checkpoint=self.resumed_from)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not state.is_world_process_zero or not logs or "loss" not in logs:
            return
        fields = {k: logs[k] for k in METRIC_KEYS if k in logs}
        fields["epoch"] = state.epoch if state.epoch is not None else logs.get("epoch")
        self.files.metric(state.global_step, fields)

    def on_step_end(self, args, state, control, **kwargs):
        if self.stop.requested and self.stopped_at is None:
            self.stopped_at = state.global_step
            control.should_save = True
            control.should_training_stop = True
            if state.is_world_process_zero:
                self.files.log("%s received: saving checkpoint-%d, then stopping" % (self.stop.signal_name, state.global_step), event=True)

    def on_save(self, args, state, control, **kwargs):
        if state.is_world_process_zero:
            name = "checkpoint-%d" % state.global_step
            self.files.event("checkpoint", step=state.global_step, path=name)
            self.files.status("running", step=state.global_step, total_steps=state.max_steps, checkpoint=name)


def load_tokenizer(cfg):
    tok = AutoTokenizer.from_pretrained(cfg["baseModel"])
    if tok.pad_token is None:
        tok.pad_token = tok.unk_token if tok.unk_token is not None else tok.eos_token
    if not getattr(tok, "chat_template", None):
        tok.chat_template = ZEPHYR_TEMPLATE
    return tok


def load_model(cfg, files, cuda):
    hp = cfg["hyperparameters"]
    bf16 = bool(hp.get("bf16")) and cuda and torch.cuda.is_bf16_supported()
    if hp.get("bf16") and not bf16:
        files.log("bf16 asked for but not supported here (no CUDA bf16); training in float32", event=True)
    dtype = torch.bfloat16 if bf16 else torch.float32
    kwargs = {}
    dtype_key = "dtype" if _version_tuple(transformers.__version__) >= (4, 56) else "torch_dtype"
    kwargs[dtype_key] = dtype
    if cfg["method"] == "qlora":
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=dtype, bnb_4bit_use_double_quant=True)
        kwargs["device_map"] = {"": int(os.environ.get("LOCAL_RANK", "0"))}
    model = AutoModelForCausalLM.from_pretrained(cfg["baseModel"], **kwargs)
    model.config.use_cache = False
    return model, bf16


def peft_config(cfg):
    if cfg["method"] == "full":
        return None
    import peft

    lora = cfg["lora"]
    return peft.LoraConfig(r=int(lora["r"]), lora_alpha=lora["alpha"], lora_dropout=lora["dropout"], target_modules=list(lora["targetModules"]), bias="none", task_type="CAUSAL_LM")


def training_values(cfg, bf16):
    hp = cfg["hyperparameters"]
    v = {
        "output_dir": cfg["outputDir"],
        "learning_rate": float(hp["learningRate"]),
        "num_train_epochs": float(hp["numTrainEpochs"]),
        "max_steps": int(hp["maxSteps"]) if int(hp.get("maxSteps") or 0) > 0 else -1,
        "per_device_train_batch_size": int(hp["perDeviceTrainBatchSize"]),
        "gradient_accumulation_steps": int(hp["gradientAccumulationSteps"]),
        "lr_scheduler_type": hp["lrScheduler"],
        "bf16": bf16,
        "logging_steps": int(hp["loggingSteps"]),
        "logging_first_step": True,
        "save_strategy": "steps",
        "save_steps": int(hp["saveSteps"]),
        "seed": int(cfg["seed"]),
        "data_seed": int(cfg["seed"]),
        "gradient_checkpointing": bool(hp.get("gradientCheckpointing")),
        "gradient_checkpointing_kwargs": {"use_reentrant": False},
        "report_to": "none",
        "disable_tqdm": True,
        "optim": "adamw_torch",
    }
    return v


def add_warmup(values, cls, ratio):
    names = {f.name for f in dataclasses.fields(cls)}
    # transformers 5 folds warmup_ratio into warmup_steps (a float below 1 is a ratio).
    if "warmup_ratio" in names:
        values["warmup_ratio"] = float(ratio)
    else:
        values["warmup_steps"] = float(ratio)
    return values


def resume_point(cfg, resume):
    if not resume:
        return None
    ckpt = runlog.latest_checkpoint(cfg["outputDir"])
    if ckpt is None:
        raise data_mod.DataError("--resume: no checkpoint-* folder in %s" % cfg["outputDir"])
    return ckpt


def trl_available():
    try:
        import trl  # noqa: F401

        return True
    except Exception:
        return False


def run(cfg, files, stop, resume, env):
    cuda = bool(env.get("cuda"))
    trainer_choice = cfg.get("trainer", "auto")
    use_trl = trainer_choice == "trl" or (trainer_choice == "auto" and trl_available())
    if not use_trl and cfg.get("launcher") == "deepspeed-zero3" and cfg["kind"] == "dpo" and cfg["method"] == "full":
        raise data_mod.DataError("full DPO under DeepSpeed ZeRO-3 needs TRL (its reference model is sharded too); install trl, or use method lora (the reference is the adapter-disabled model)")
    ckpt = resume_point(cfg, resume)
    files.log("%s %s of %s on %s (%s, %s%s)" % ("TRL" if use_trl else "compact", cfg["kind"].upper(), cfg["baseModel"], cfg["dataset"], cfg["method"], cfg.get("launcher"), ", resuming from %s" % os.path.basename(ckpt) if ckpt else ""), event=True)
    tok = load_tokenizer(cfg)
    model, bf16 = load_model(cfg, files, cuda)
    callback = PhoenixCallback(files, stop, "trl" if use_trl else "compact", os.path.basename(ckpt) if ckpt else None)
    if use_trl:
        trainer = build_trl_trainer(cfg, files, tok, model, bf16, callback)
    else:
        import compact

        trainer = compact.build_trainer(cfg, files, tok, model, bf16, callback, peft_config(cfg), training_values(cfg, bf16), build_dataclass, add_warmup, call_supported)
    trainer.train(resume_from_checkpoint=ckpt)
    step = trainer.state.global_step
    if callback.stopped_at is not None and step < (callback.total or step + 1):
        name = "checkpoint-%d" % step
        files.event("end", status="stopped", step=step, message="stopped at step %d (%s)" % (step, name))
        files.status("stopped", step=step, total_steps=callback.total, checkpoint=name, exit_code=0, message="stopped at step %d; resume continues from %s" % (step, name))
        return runlog.EXIT_OK
    final_dir = os.path.join(cfg["outputDir"], "final")
    trainer.save_model(final_dir)
    if trainer.is_world_process_zero():
        tok.save_pretrained(final_dir)
    files.log("finished after %d steps; model saved to %s" % (step, final_dir), event=True)
    files.event("end", status="finished", step=step)
    saved = runlog.checkpoints(cfg["outputDir"])
    files.status("finished", step=step, total_steps=callback.total, checkpoint=saved[-1] if saved else None, exit_code=0, final=final_dir)
    return runlog.EXIT_OK


def build_trl_trainer(cfg, files, tok, model, bf16, callback):
    import trl

    hp = cfg["hyperparameters"]
    ds = data_mod.load_hf_dataset(cfg["dataset"], cfg["kind"])
    values = training_values(cfg, bf16)
    if cfg["kind"] == "dpo":
        cls, trainer_cls = trl.DPOConfig, trl.DPOTrainer
        values.update({"beta": float(hp["beta"]), "max_length": int(hp["maxLength"]), "max_prompt_length": int(hp["maxPromptLength"]), "loss_type": "sigmoid"})
    else:
        cls, trainer_cls = trl.SFTConfig, trl.SFTTrainer
        # TRL renamed max_seq_length to max_length; whichever this version has is kept.
        values.update({"max_seq_length": int(hp["maxSeqLength"]), "max_length": int(hp["maxSeqLength"])})
    args = build_dataclass(cls, add_warmup(values, cls, hp["warmupRatio"]), files)
    kwargs = {"model": model, "args": args, "train_dataset": ds, "callbacks": [callback], "peft_config": peft_config(cfg)}
    if cfg["kind"] == "dpo":
        kwargs["ref_model"] = None  # TRL builds the frozen reference (or disables the adapter with peft)
    params = inspect.signature(trainer_cls.__init__).parameters
    kwargs["processing_class" if "processing_class" in params else "tokenizer"] = tok
    if kwargs["peft_config"] is None:
        del kwargs["peft_config"]
    return trainer_cls(**call_supported(trainer_cls.__init__, kwargs, files, trainer_cls.__name__))
