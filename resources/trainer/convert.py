#!/usr/bin/env python3
"""Convert a Hugging Face image classifier on this box into the console's model.onnx + model.json.

No training: the repository's own head and weights, exported as train.py exports a model (inputs
`pixel_values`, outputs `logits` and `embedding`, the embedding being what the head reads), with
the mean, std and size of its image processor and its roadwork label as the positive one. Never
downloads (the console fetches the repository first). stdout carries only JSON lines (loading,
exported, converted, error), also appended to OUT/events.jsonl; readable text goes to stderr.
"""
import json
import os
import re
import shlex
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The event plumbing, the Hugging Face loader and the export are train.py's: ship the folder whole.
from train import (  # noqa: E402
    EXIT_FAILED,
    LABELS,
    MANIFEST_FORMAT,
    Parser,
    TrainerError,
    events,
    export_onnx,
    file_sha256,
    hf_normalisation,
    load_hf_classifier,
    one_line,
    say,
    wrap_hf_classifier,
    write_manifest,
)

DEFAULT_SIZE = 224
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
# "Roadwork", "road_work", "road works", "construction", "work zone" — and not "no roadwork".
ROADWORK = re.compile(r"road[\s_-]*works?|construction|work[\s_-]*zone", re.IGNORECASE)
NEGATED = re.compile(r"^\s*(no|not|non|without)\b", re.IGNORECASE)


def parse_args(argv):
    parser = Parser(prog="convert.py", description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="hf:<local folder or repo id in the HF cache> (never downloaded)")
    parser.add_argument("--out", required=True, help="folder for model.onnx, model.json and events.jsonl")
    parser.add_argument("--source", default=None, help="what model.json names as the origin (e.g. natix-network-org/roadwork@<sha>)")
    parser.add_argument("--positive-label", default=None, help="the label that means roadwork, when no label says so")
    parser.add_argument("--name", default=None, help="model name (default: the repository's name)")
    parser.add_argument("--version", default="1.0.0")
    args = parser.parse_args(argv)
    problems = []
    if not (args.base.startswith("hf:") and len(args.base) > 3):
        problems.append(f"--base must be hf:<local folder or repo id>, not {args.base!r}")
    if args.version.count(".") != 2 or not all(part.isdigit() for part in args.version.split(".")):
        problems.append("--version must look like 1.2.3")
    if args.name is not None and not 1 <= len(args.name) <= 200:
        problems.append("--name must hold 1 to 200 characters")
    if problems:
        parser.error("; ".join(problems))
    return args


def folder_labels(reference):
    """The labels of config.json's id2label in index order; None when the folder has no config."""
    path = os.path.join(reference, "config.json")
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError) as error:
        raise TrainerError(f"{path} cannot be read as JSON: {one_line(error)}")
    return ordered_labels(config.get("id2label") if isinstance(config, dict) else None, path)


def ordered_labels(id2label, where):
    try:
        pairs = sorted((int(key), str(value)) for key, value in dict(id2label or {}).items())
    except (TypeError, ValueError):
        raise TrainerError(f"the id2label of {where} does not map class numbers to names")
    if len(pairs) < 2 or [index for index, _ in pairs] != list(range(len(pairs))):
        raise TrainerError(f"the id2label of {where} does not name classes 0 to N-1 (at least two): {dict(pairs)}")
    return [label for _, label in pairs]


def positive_label(labels, requested, where):
    """The roadwork label: the one asked for, else the only one that says roadwork."""
    if requested is not None:
        chosen = [label for label in labels if label.lower() == requested.lower()]
        if not chosen:
            raise TrainerError(f"--positive-label {requested!r} is not one of the labels of {where}: {', '.join(labels)}")
        return chosen[0]
    matches = [label for label in labels if ROADWORK.search(label) and not NEGATED.search(label)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise TrainerError(
            f"no label of {where} looks like roadwork ({', '.join(labels)}): this is not a roadwork classifier "
            "(name its roadwork label with --positive-label if it is one)"
        )
    raise TrainerError(f"several labels of {where} look like roadwork ({', '.join(matches)}): name one with --positive-label")


def console_labels(labels, positive):
    """A two-class model speaks the console's words (none, roadwork) at the repository's positions."""
    if len(labels) != 2:
        return labels, positive
    return [LABELS[1] if label == positive else LABELS[0] for label in labels], LABELS[1]


def weights_hash(reference, onnx_path):
    """What the manifest's data hash records: the source weights (the training data is not known
    here), or the exported graph when the weights are not a file in a folder."""
    for name in WEIGHT_FILES:
        path = os.path.join(reference, name)
        if os.path.isfile(path):
            return "sha256:" + file_sha256(path)
    return "sha256:" + file_sha256(onnx_path)


def run(args, argv):
    started = time.time()
    os.makedirs(args.out, exist_ok=True)
    events.open(os.path.join(args.out, "events.jsonl"))
    reference = os.path.expanduser(args.base[3:])  # the console names folders on the box as ~/…
    source = args.source or reference
    labels = folder_labels(reference) if os.path.isdir(reference) else None
    if labels is not None:
        positive_label(labels, args.positive_label, reference)  # refuse before the slow load
    events.emit("loading", base=args.base, labels=labels)

    import torch

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    options = {} if labels is None else {"num_labels": len(labels)}
    processor, backbone = load_hf_classifier(reference, torch, **options)
    if labels is None:
        labels = ordered_labels(getattr(getattr(backbone, "config", None), "id2label", None), reference)
    positive = positive_label(labels, args.positive_label, reference)
    norm = hf_normalisation(processor, reference)
    size = norm["size"] or DEFAULT_SIZE
    model = wrap_hf_classifier(backbone, torch)
    model.eval()
    with torch.no_grad():
        logits, _ = model(torch.zeros(1, 3, size, size))
    if logits.shape[-1] != len(labels):
        raise TrainerError(f"the model of {reference} answers {logits.shape[-1]} scores but names {len(labels)} labels")

    onnx_path = os.path.join(args.out, "model.onnx")
    export_onnx(model, onnx_path, size, torch)
    manifest_labels, manifest_positive = console_labels(labels, positive)
    manifest = {
        "format": MANIFEST_FORMAT,
        "name": args.name or source.split("@")[0].rstrip("/").split("/")[-1] or "imported",
        "version": args.version,
        "architecture": f"hf:{source}",
        "file": "model.onnx",
        "input": {"name": "pixel_values", "width": size, "height": size, "mean": norm["mean"], "std": norm["std"]},
        "outputs": {"logits": "logits", "embedding": "embedding"},
        "labels": manifest_labels,
        "positiveLabel": manifest_positive,
        "training": {
            "dataHash": weights_hash(reference, onnx_path),
            "images": {"train": 0, "val": 0},
            "epochs": 0,
            "steps": 0,
            "seed": 0,
            "device": "cpu",
            "durationS": round(time.time() - started, 1),
            "command": "python3 resources/trainer/convert.py " + shlex.join(argv),
            "dataCommand": None,
        },
        "metrics": {"valAccuracy": None, "valMcc": None, "valLoss": None},
        "createdAt": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    manifest_path = os.path.join(args.out, "model.json")
    write_manifest(manifest_path, manifest)
    events.emit("exported", onnx=onnx_path, manifest=manifest_path, sizeBytes=os.path.getsize(onnx_path))
    say(f"the repository's label {positive!r} is the positive one (index {labels.index(positive)} of {', '.join(labels)})")
    events.emit(
        "converted",
        labels=manifest_labels,
        positiveLabel=manifest_positive,
        sourceLabels=labels,
        size=size,
        durationS=round(time.time() - started, 1),
    )
    return 0


def main(argv):
    args = parse_args(argv)
    events.claim_stdout()
    try:
        return run(args, argv)
    except TrainerError as error:
        events.emit("error", message=one_line(error))
        return EXIT_FAILED
    except Exception as error:
        return events.unexpected(error)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
