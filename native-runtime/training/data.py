"""Reads a Phoenix export folder: data/train-*.parquet (datasets or pyarrow) or data/train.jsonl.

DPO rows are TRL's conversational preference rows {prompt: [messages], chosen: [assistant message],
rejected: [assistant message]} or the plain-string variant; SFT rows hold {messages: [...]}. Columns the
trainers do not use (prompt_id, scores) are dropped.
"""
import glob
import json
import os


def train_files(dataset_dir):
    data = os.path.join(dataset_dir, "data")
    files = sorted(glob.glob(os.path.join(data, "train-*.parquet")) + glob.glob(os.path.join(data, "train.parquet")))
    if files:
        return files
    return sorted(glob.glob(os.path.join(data, "train.jsonl")) + glob.glob(os.path.join(data, "train-*.jsonl")))


def needs_parquet(dataset_dir):
    return any(f.endswith(".parquet") for f in train_files(dataset_dir))


class DataError(Exception):
    pass


def read_rows(dataset_dir):
    files = train_files(dataset_dir)
    if not files:
        raise DataError("%s: no data/train-*.parquet or data/train.jsonl" % dataset_dir)
    rows = []
    for path in files:
        if path.endswith(".jsonl"):
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    try:
                        rows.append(json.loads(line))
                    except ValueError as e:
                        raise DataError("%s: line %d: not JSON: %s" % (path, n, e))
        else:
            try:
                import pyarrow.parquet as pq
            except ImportError:
                raise DataError("%s: reading parquet needs pyarrow (pip install pyarrow)" % path)
            rows.extend(pq.read_table(path).to_pylist())
    return rows


def _text(v, where):
    if isinstance(v, str):
        return v
    if isinstance(v, list) and v and all(isinstance(m, dict) for m in v):
        return "\n".join(str(m.get("content", "")) for m in v)
    raise DataError("%s: expected a string or a list of messages" % where)


def messages_of(v, where, default_role):
    """A field as a list of {role, content} (a plain string becomes one message)."""
    if isinstance(v, str):
        return [{"role": default_role, "content": v}]
    if isinstance(v, list) and all(isinstance(m, dict) and isinstance(m.get("content"), str) and isinstance(m.get("role"), str) for m in v):
        return [{"role": m["role"], "content": m["content"]} for m in v]
    raise DataError("%s: expected a string or a list of {role, content} messages" % where)


def dpo_examples(rows):
    out = []
    for i, r in enumerate(rows):
        where = "row %d" % i
        for k in ("prompt", "chosen", "rejected"):
            if k not in r:
                raise DataError("%s: no %r column (is this a DPO export?)" % (where, k))
        out.append({
            "prompt": messages_of(r["prompt"], where + " prompt", "user"),
            "chosen": messages_of(r["chosen"], where + " chosen", "assistant"),
            "rejected": messages_of(r["rejected"], where + " rejected", "assistant"),
        })
    return out


def sft_examples(rows):
    out = []
    for i, r in enumerate(rows):
        if "messages" not in r:
            raise DataError("row %d: no 'messages' column (is this an SFT export?)" % i)
        out.append({"messages": messages_of(r["messages"], "row %d messages" % i, "user")})
    return out


def load_hf_dataset(dataset_dir, kind):
    """A datasets.Dataset of the train split with only the columns TRL reads."""
    import datasets

    files = train_files(dataset_dir)
    if not files:
        raise DataError("%s: no data/train-*.parquet or data/train.jsonl" % dataset_dir)
    builder = "parquet" if files[0].endswith(".parquet") else "json"
    ds = datasets.load_dataset(builder, data_files={"train": files}, split="train")
    keep = ["prompt", "chosen", "rejected"] if kind == "dpo" else ["messages"]
    missing = [c for c in keep if c not in ds.column_names]
    if missing:
        raise DataError("%s: columns %s missing (is this a %s export?)" % (dataset_dir, missing, kind))
    return ds.remove_columns([c for c in ds.column_names if c not in keep])
