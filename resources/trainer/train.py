#!/usr/bin/env python3
"""Train the StreetVision roadwork classifier and export it as ONNX + model.json.

Runs on the training GPU box (CUDA, mixed precision) or on CPU. stdout carries only JSON lines,
one event each (start, step, checkpoint, epoch, exported, done, stopped, error), also appended to
OUT/metrics.jsonl so a console that reconnects can recover them; people-readable text goes to
stderr. A killed run resumes from OUT/checkpoint.pt; SIGTERM checkpoints and exits 143.
"""
import argparse
import hashlib
import json
import math
import os
import random
import shlex
import signal
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

LABELS = ["none", "roadwork"]  # class index = position: none=0, roadwork=1
MANIFEST_FORMAT = "streetvision-model/1"
SMALL_CNN_LR = 2e-3
HF_LR = 5e-5  # fine-tuning a pretrained transformer at the small CNN's rate would wreck it
EXIT_FAILED = 1
EXIT_BAD_ARGUMENTS = 2
EXIT_INTERRUPTED = 130  # SIGINT (Ctrl-C by hand)
EXIT_STOPPED = 143  # SIGTERM: the console's end of a nightly window
RECENT_BATCHES = 20  # the step event's loss, accuracy and MCC cover this many batches


class TrainerError(Exception):
    """A problem the operator can fix; reported as one line."""


def say(message):
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nobody reads the log any more (a dropped SSH session): train on


def one_line(text):
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""


# ---- events -----------------------------------------------------------------------------------


class Events:
    """JSON lines on the real stdout and in OUT/metrics.jsonl, plus a readable line on stderr.

    `claim_stdout` keeps file descriptor 1 for the events alone: anything else that prints (a
    library's banner, a C++ warning) lands on stderr, so a console can parse every stdout line."""

    def __init__(self):
        self.stream = sys.stdout
        self.file = None

    def claim_stdout(self):
        try:
            sys.stdout.flush()
            self.stream = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
            os.dup2(2, 1)
            sys.stdout = sys.stderr
        except OSError:
            pass  # no usable descriptors (an odd embedding): keep writing to sys.stdout

    def open(self, path):
        self.file = open(path, "a", encoding="utf-8")

    def unexpected(self, error, hint=""):
        """An error nobody foresaw: one line for the console, the trace for the log; the exit status."""
        traceback.print_exc()
        self.emit("error", message=f"{type(error).__name__}: {one_line(error) or 'no message'}{hint}")
        return EXIT_FAILED

    def emit(self, event, **fields):
        record = {"event": event, **fields}
        line = json.dumps(record, separators=(",", ":"))
        if self.stream is not None:
            try:
                self.stream.write(line + "\n")
                self.stream.flush()
            except (OSError, ValueError):
                # The console went away (a broken pipe): train on; metrics.jsonl keeps the record.
                self.stream = None
        if self.file:
            self.file.write(line + "\n")
            self.file.flush()
        text = describe(record)
        if text:
            say(text)


def describe(record):
    """The stderr line for an event."""
    event = record["event"]
    if event == "start":
        describe.steps_total = record["stepsTotal"]
        resumed = "" if record["resumedFromStep"] is None else f", resuming at step {record['resumedFromStep']}"
        skipped = f", {record['skipped']} unreadable skipped" if record["skipped"] else ""
        amp = " with mixed precision" if record["amp"] else ""
        return (
            f"training {record['base']} on {record['device']}{amp}: {record['train']} training and "
            f"{record['val']} validation images{skipped}; {record['stepsTotal']} steps{resumed}\n"
            f"data {record['dataHash']}"
        )
    if event == "step":
        return (
            f"step {record['step']}/{describe.steps_total}  epoch {record['epoch']}  loss {record['loss']:.4f}  "
            f"accuracy {record['accuracy']:.1%}  MCC {record['mcc']:+.3f}  lr {record['lr']:.2e}  "
            f"{record['throughput']:.0f} images/s  {duration_text(record['etaS'])} left"
        )
    if event == "epoch":
        if record["valLoss"] is None:
            return f"epoch {record['epoch']} done at step {record['step']} (no validation images)"
        return (
            f"epoch {record['epoch']} done at step {record['step']}: validation loss {record['valLoss']:.4f}, "
            f"accuracy {record['valAccuracy']:.1%}, MCC {record['valMcc']:+.3f}"
        )
    if event == "checkpoint":
        return f"checkpoint at step {record['step']}: {record['path']}"
    if event == "exported":
        return f"exported {record['onnx']} ({record['sizeBytes'] / 1e6:.1f} MB) and {record['manifest']}"
    if event == "done":
        if record["valAccuracy"] is None:
            return f"done after {record['step']} steps in {duration_text(record['durationS'])} (no validation images)"
        return (
            f"done after {record['step']} steps in {duration_text(record['durationS'])}: validation accuracy "
            f"{record['valAccuracy']:.1%}, MCC {record['valMcc']:+.3f}"
        )
    if event == "stopped":
        return f"stopped at step {record['step']}: the same command continues from the checkpoint"
    if event == "error":
        return f"error: {record['message']}"
    return None


describe.steps_total = "?"


def duration_text(seconds):
    seconds = int(round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


events = Events()


# ---- arguments --------------------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        events.emit("error", message=f"bad arguments: {message}")
        sys.exit(EXIT_BAD_ARGUMENTS)


def parse_args(argv):
    parser = Parser(prog="train.py", description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="ImageFolder (roadwork/, none/) with manifest.jsonl")
    parser.add_argument("--out", required=True, help="folder for checkpoint.pt, metrics.jsonl, model.onnx, model.json")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--max-steps", type=int, default=None, help="stop after this many steps if fewer than the epochs make")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=None, help=f"peak learning rate (default {SMALL_CNN_LR} for small-cnn, {HF_LR} for hf:)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base", default="small-cnn", help="small-cnn, or hf:<repo id or local folder> (never downloaded)")
    parser.add_argument("--image-size", type=int, default=224, help="small-cnn's input side; hf: models use their processor's")
    parser.add_argument("--val-fraction", type=float, default=0.1, help="held-out share when the manifest has no splits")
    parser.add_argument("--checkpoint-every", type=int, default=100, help="steps between checkpoints (also at each epoch end)")
    parser.add_argument("--log-every", type=int, default=10, help="steps between step events")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--workers", type=int, default=2, help="threads decoding the images (0: none)")
    parser.add_argument("--name", default="model")
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--data-command", default=None, help="how the data was made, recorded in model.json")
    args = parser.parse_args(argv)
    problems = []
    if args.epochs < 1:
        problems.append("--epochs must be at least 1")
    if args.max_steps is not None and args.max_steps < 1:
        problems.append("--max-steps must be at least 1")
    if args.batch_size < 1:
        problems.append("--batch-size must be at least 1")
    if args.lr is not None and not args.lr > 0:
        problems.append("--lr must be above 0")
    if not 32 <= args.image_size <= 2048:
        problems.append("--image-size must be between 32 and 2048")
    if not 0 <= args.val_fraction < 1:
        problems.append("--val-fraction must be at least 0 and below 1")
    if args.checkpoint_every < 1 or args.log_every < 1:
        problems.append("--checkpoint-every and --log-every must be at least 1")
    if args.workers < 0:
        problems.append("--workers must be 0 or more")
    if not 1 <= len(args.name) <= 200:
        problems.append("--name must hold 1 to 200 characters")
    if args.version.count(".") != 2 or not all(part.isdigit() for part in args.version.split(".")):
        problems.append("--version must look like 1.2.3")
    if args.base != "small-cnn" and not (args.base.startswith("hf:") and len(args.base) > 3):
        problems.append(f"--base must be small-cnn or hf:<repo id or local folder>, not {args.base!r}")
    if args.data_command is not None and not args.data_command.strip():
        args.data_command = None
    if problems:
        parser.error("; ".join(problems))
    if args.lr is None:
        args.lr = SMALL_CNN_LR if args.base == "small-cnn" else HF_LR
    return args


# ---- data -------------------------------------------------------------------------------------


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def held_out(file_name, fraction):
    """A split that depends only on the file name, so it stays put as a dataset grows."""
    bucket = int(hashlib.sha256(file_name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return bucket < fraction


def read_manifest(data_dir):
    manifest = os.path.join(data_dir, "manifest.jsonl")
    if not os.path.isdir(data_dir):
        raise TrainerError(f"the data folder {data_dir} does not exist")
    if not os.path.isfile(manifest):
        raise TrainerError(f"{manifest} is missing: the data folder needs a manifest.jsonl (one JSON line per image)")
    entries, seen, duplicates = [], set(), 0
    with open(manifest, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                label = LABELS.index(entry["label"])
                file_name = entry["file"]
                split = entry.get("split")
                if not isinstance(file_name, str) or not file_name or split not in (None, "train", "val"):
                    raise ValueError
            except (ValueError, KeyError, TypeError, AttributeError):
                raise TrainerError(
                    f"{manifest} line {number} is not a dataset entry (a file, a label none or roadwork, an optional split train or val)"
                )
            parts = file_name.replace("\\", "/").split("/")
            if os.path.isabs(file_name) or ".." in parts:
                raise TrainerError(f"{manifest} line {number} names {file_name}, which is outside the data folder")
            if file_name in seen:
                duplicates += 1
                continue
            seen.add(file_name)
            entries.append((file_name, label, split))
    if duplicates:
        say(f"{duplicates} manifest lines repeat a file already listed: each file counts once")
    entries.sort(key=lambda entry: entry[0])
    return entries


def read_dataset(data_dir, val_fraction, image_size, workers):
    """Decodes every image once, resized to the model's input (the set is held in memory as
    uint8); a missing or corrupt file is skipped and counted."""
    import numpy as np
    from PIL import Image

    entries = read_manifest(data_dir)
    if not entries:
        raise TrainerError(f"{os.path.join(data_dir, 'manifest.jsonl')} lists no images")
    memory = len(entries) * image_size * image_size * 3
    memory_text = f"{memory / 1e9:.1f} GB" if memory >= 1e9 else f"{memory / 1e6:.0f} MB"
    say(f"reading {len(entries)} images from {data_dir} (about {memory_text} in memory once decoded)")

    def decode(entry):
        path = os.path.join(data_dir, entry[0])
        try:
            with Image.open(path) as image:
                rgb = image.convert("RGB").resize((image_size, image_size), Image.BILINEAR)
                pixels = np.asarray(rgb, dtype=np.uint8)
            return pixels, file_sha256(path), None
        except Exception as error:  # a missing, truncated or foreign file: skip it, whatever PIL says
            return None, None, one_line(error) or type(error).__name__

    pool = ThreadPoolExecutor(max_workers=workers) if workers > 0 else None
    try:
        decoded = pool.map(decode, entries, chunksize=16) if pool else map(decode, entries)
        hash_lines, train, val, skipped = [], [], [], []
        report_every = max(2000, len(entries) // 10)
        for index, ((file_name, label, split), (pixels, digest, problem)) in enumerate(zip(entries, decoded), 1):
            if problem is not None:
                skipped.append(file_name)
                say(f"skipping {file_name}: {problem}")
                continue
            hash_lines.append(f"{file_name}\t{LABELS[label]}\t{digest}")
            is_val = split == "val" if split is not None else held_out(file_name, val_fraction)
            (val if is_val else train).append((pixels, label))
            if index % report_every == 0 and index < len(entries):
                say(f"read {index} of {len(entries)} images")
    finally:
        if pool:
            pool.shutdown(wait=False, cancel_futures=True)
    classes = {label for _, label in train}
    if len(classes) < 2:
        held = "no" if not classes else f"only {LABELS[classes.pop()]}"
        raise TrainerError(f"the training split of {data_dir} holds {held} images: it needs both roadwork and none")
    hash_lines.sort()
    data_hash = "sha256:" + hashlib.sha256("\n".join(hash_lines).encode()).hexdigest()
    return train, val, skipped, data_hash


def to_tensor_batch(items, torch):
    import numpy as np

    pixels = torch.from_numpy(np.stack([item[0] for item in items])).permute(0, 3, 1, 2).contiguous()
    labels = torch.tensor([item[1] for item in items], dtype=torch.long)
    return pixels, labels


def augment(pixels, generator, device, torch):
    """What the validators do to images, batched on uint8 NCHW on the training device: a random
    resized crop (0.55–1 of the area), flips, small rotations, brightness and occasional blur, as one
    affine resampling. Random numbers come from `generator` (CPU), so CPU and GPU runs draw alike.
    Returns floats in [0, 1]."""
    import torch.nn.functional as F

    n = pixels.shape[0]
    x = pixels.to(device).float() / 255.0
    r = torch.rand(n, 8, generator=generator).to(device)
    side = torch.sqrt(0.55 + 0.45 * r[:, 0])
    shift_x = (r[:, 1] * 2 - 1) * (1 - side)
    shift_y = (r[:, 2] * 2 - 1) * (1 - side)
    flip_x = torch.where(r[:, 3] < 0.5, -1.0, 1.0)
    flip_y = torch.where(r[:, 4] < 0.25, -1.0, 1.0)
    angle = torch.where(r[:, 5] < 0.4, (r[:, 6] - 0.5) * math.radians(30), torch.zeros(n, device=device))
    cos, sin = torch.cos(angle) * side, torch.sin(angle) * side
    theta = torch.stack(
        [torch.stack([cos * flip_x, -sin * flip_y, shift_x], 1), torch.stack([sin * flip_x, cos * flip_y, shift_y], 1)], 1
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    x = x * (0.75 + 0.5 * r[:, 7]).view(n, 1, 1, 1)
    blurred = r[:, 6] < 0.2
    if blurred.any():
        kernel_1d = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0], device=device) / 16
        kernel = (kernel_1d[:, None] * kernel_1d[None, :]).expand(3, 1, 5, 5).contiguous()
        x[blurred] = F.conv2d(F.pad(x[blurred], (2, 2, 2, 2), mode="replicate"), kernel, groups=3)
    return x.clamp(0, 1)


def normalise(pixels, mean, std, torch):
    """uint8 (0–255) or float (0–1) NCHW pixels → the model's input: (x - mean) / std."""
    m = torch.tensor(mean, device=pixels.device).view(1, 3, 1, 1)
    s = torch.tensor(std, device=pixels.device).view(1, 3, 1, 1)
    scaled = pixels.float() / 255.0 if pixels.dtype == torch.uint8 else pixels
    return (scaled - m) / s


# ---- models -----------------------------------------------------------------------------------
# Each builder returns (module, {"mean", "std", "size"}); the module maps normalised NCHW pixels
# to (logits [batch, 2], embedding [batch, D]).


def build_small_cnn(torch):
    nn = torch.nn

    def block(cin, cout):
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
        )

    class SmallCnn(nn.Module):
        """About 0.4 M parameters. A 4×4 patch stem makes 224 px cheap enough to train on a CPU
        (≈6× a stride-2 stem) while still seeing a cone a few pixels wide."""

        embedding_size = 128

        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(3, 32, 4, stride=4, bias=False),
                nn.BatchNorm2d(32),
                nn.ReLU(inplace=True),
                block(32, 48),
                block(48, 96),
                block(96, 128),
            )
            self.dropout = nn.Dropout(0.2)
            self.head = nn.Linear(128, len(LABELS))

        def forward(self, x):
            embedding = self.features(x).mean(dim=(2, 3))
            return self.head(self.dropout(embedding)), embedding

    return SmallCnn(), {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "size": None}


def processor_size(processor):
    """The square side a Hugging Face image processor feeds its model (crop, else resize)."""
    for attribute in ("crop_size", "size"):
        size = getattr(processor, attribute, None)
        if isinstance(size, int) and size > 0:
            return size
        for key in ("height", "shortest_edge"):
            value = size.get(key) if hasattr(size, "get") else getattr(size, key, None)
            if isinstance(value, int) and value > 0:
                return value
    return None


def build_hf_model(reference, torch):
    """A Hugging Face image classifier already on this box, fine-tuned to our two labels: the head
    is replaced when it does not have them."""
    processor, backbone = load_hf_classifier(
        reference,
        torch,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    return wrap_hf_classifier(backbone, torch), hf_normalisation(processor, reference)


def load_hf_classifier(reference, torch, **model_options):
    """The image processor and classifier of `reference` (a local folder or the HF cache): never
    downloads. convert.py loads the repository's own head with it; training asks for ours."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # read when huggingface_hub is imported: before transformers
    try:
        from transformers import AutoImageProcessor, AutoModelForImageClassification
    except ImportError:
        raise TrainerError("--base hf: needs the transformers package, which this Python cannot import (pip install transformers on the training box)")
    try:
        processor = AutoImageProcessor.from_pretrained(reference, local_files_only=True)
        backbone = AutoModelForImageClassification.from_pretrained(
            reference, local_files_only=True, ignore_mismatched_sizes=True, **model_options
        )
    except Exception as error:  # OSError for a missing model; ValueError/KeyError for one transformers cannot read
        if os.path.isdir(reference):
            raise TrainerError(f"the folder {reference} does not hold an image classifier transformers can load: {one_line(error)}")
        raise TrainerError(
            f"the model {reference} is not available on this box without a download "
            f"(a local folder or the Hugging Face cache is needed): {one_line(error)}"
        )
    return processor, backbone


def wrap_hf_classifier(backbone, torch):
    """The classifier as our builders return it: (logits, embedding), the embedding being what the
    head reads (the pooled or CLS feature)."""
    head = next(
        (getattr(backbone, name) for name in ("classifier", "head", "fc") if isinstance(getattr(backbone, name, None), torch.nn.Module)),
        None,
    )

    class HfClassifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = backbone
            self.captured = []
            if head is not None:
                head.register_forward_hook(lambda _module, inputs, _output: self.captured.append(inputs[0]))

        def forward(self, x):
            self.captured.clear()
            output = self.backbone(pixel_values=x, output_hidden_states=head is None, return_dict=True)
            if self.captured:
                embedding = self.captured[-1]
                self.captured.clear()
            else:
                embedding = output.hidden_states[-1]
                embedding = embedding[:, 0] if embedding.dim() == 3 else embedding.mean(dim=(2, 3))
            return output.logits, embedding.flatten(1)

    return HfClassifier()


def hf_normalisation(processor, reference):
    """The mean, std and input side of the model's image processor (its preprocessor_config.json)."""
    mean = list(getattr(processor, "image_mean", None) or [0.5, 0.5, 0.5])
    std = list(getattr(processor, "image_std", None) or [0.5, 0.5, 0.5])
    if len(mean) != 3 or len(std) != 3:
        raise TrainerError(f"the processor of {reference} does not take 3-channel (RGB) images")
    return {"mean": [float(v) for v in mean], "std": [float(v) for v in std], "size": processor_size(processor)}


# ---- metrics ----------------------------------------------------------------------------------


def mcc(tp, fp, tn, fn):
    """Matthews correlation; 0 when the labels or the predictions hold a single class."""
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return 0.0 if denominator == 0 else (tp * tn - fp * fn) / denominator


def confusion(predicted, labels):
    tp = sum(1 for p, y in zip(predicted, labels) if p == 1 and y == 1)
    fp = sum(1 for p, y in zip(predicted, labels) if p == 1 and y == 0)
    tn = sum(1 for p, y in zip(predicted, labels) if p == 0 and y == 0)
    fn = sum(1 for p, y in zip(predicted, labels) if p == 0 and y == 1)
    return tp, fp, tn, fn


def evaluate(model, val, batch_size, norm, device, torch):
    if not val:
        return None
    model.eval()
    total_loss, predicted, labels = 0.0, [], []
    with torch.no_grad():
        for start in range(0, len(val), batch_size):
            pixels, target = to_tensor_batch(val[start : start + batch_size], torch)
            logits, _ = model(normalise(pixels.to(device), norm["mean"], norm["std"], torch))
            total_loss += torch.nn.functional.cross_entropy(logits.float(), target.to(device), reduction="sum").item()
            # A validator counts P(roadwork) = 0.5 as "none": so do we.
            probability = torch.softmax(logits.float(), dim=1)[:, 1]
            predicted += (probability > 0.5).long().tolist()
            labels += target.tolist()
    model.train()
    tp, fp, tn, fn = confusion(predicted, labels)
    return {"valLoss": total_loss / len(val), "valAccuracy": (tp + tn) / len(val), "valMcc": mcc(tp, fp, tn, fn)}


# ---- checkpoints and export -------------------------------------------------------------------


def save_atomically(write, path):
    """Writes to a temporary file beside `path`, then renames it: a kill never leaves half a file."""
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        write(temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def grad_scaler(enabled, torch):
    amp = getattr(torch, "amp", None)
    if amp is not None and hasattr(amp, "GradScaler"):
        return amp.GradScaler("cuda", enabled=enabled)
    return torch.cuda.amp.GradScaler(enabled=enabled)


def scheduler_state(scheduler):
    # Older PyTorch keeps OneCycleLR's annealing function (a bound method) in its state: leave it
    # out, so the checkpoint holds only plain values and tensors.
    return {key: value for key, value in scheduler.state_dict().items() if key != "anneal_func"}


def load_checkpoint(path, torch):
    try:
        return torch.load(path, map_location="cpu", weights_only=False)  # our own file: RNG states and all
    except TypeError:  # a PyTorch older than 1.13
        return torch.load(path, map_location="cpu")


def export_onnx(model, path, image_size, torch):
    import inspect

    class Exported(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, pixel_values):
            return self.inner(pixel_values)

    model.eval()
    wrapper = Exported(model).to("cpu").float()
    dummy = torch.zeros(1, 3, image_size, image_size)
    options = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        options["dynamo"] = False  # the TorchScript exporter: newer PyTorch defaults to one needing onnxscript
    save_atomically(
        lambda target: torch.onnx.export(
            wrapper,
            dummy,
            target,
            input_names=["pixel_values"],
            output_names=["logits", "embedding"],
            dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}, "embedding": {0: "batch"}},
            opset_version=14,
            do_constant_folding=True,
            **options,
        ),
        path,
    )
    try:
        import onnx
    except ImportError:
        say("onnx is not installed: the exported graph was not checked (apt-get install python3-onnx)")
        return
    try:
        onnx.checker.check_model(path)
    except Exception as error:
        raise TrainerError(f"the exported {path} fails the ONNX checker: {one_line(error)}")


def write_manifest(path, manifest):
    def write(target):
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=2)
            handle.write("\n")

    save_atomically(write, path)


# ---- the run ----------------------------------------------------------------------------------


class Progress:
    """What the stop-signal handler needs to know about the run."""

    def __init__(self):
        self.phase = "setup"  # then "training", then "export"
        self.stop_code = None
        self.step = 0


progress = Progress()


def on_stop_signal(signum, _frame):
    """SIGTERM (the console) or SIGINT (Ctrl-C). In training, the loop checkpoints and stops before
    its next batch. While setting up there is nothing new to save: stop at once (an exception raised
    here could land inside a C extension). Once training is over, the export finishes first."""
    progress.stop_code = EXIT_STOPPED if signum == signal.SIGTERM else EXIT_INTERRUPTED
    if progress.phase == "setup":
        events.emit("stopped", step=progress.step)
        os._exit(progress.stop_code)


def run(args, argv):
    started = time.time()
    os.makedirs(args.out, exist_ok=True)
    events.open(os.path.join(args.out, "metrics.jsonl"))

    import numpy as np
    import torch

    random.seed(args.seed)
    np.random.seed(args.seed % 2**32)
    torch.manual_seed(args.seed)
    if args.device == "cuda" and not torch.cuda.is_available():
        raise TrainerError("--device cuda was asked for, but PyTorch sees no CUDA GPU on this box")
    use_cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
    device = torch.device("cuda" if use_cuda else "cpu")
    if use_cuda:
        torch.backends.cudnn.benchmark = True
        say(f"using {torch.cuda.get_device_name(0)} with mixed precision")
    else:
        torch.set_num_threads(max(1, os.cpu_count() or 1))

    if args.base == "small-cnn":
        model, norm = build_small_cnn(torch)
        image_size = args.image_size
    else:
        model, norm = build_hf_model(args.base[3:], torch)
        image_size = norm["size"] or args.image_size

    train, val, skipped, data_hash = read_dataset(args.data, args.val_fraction, image_size, args.workers)
    batches_per_epoch = max(1, len(train) // args.batch_size)
    steps_total = args.epochs * batches_per_epoch
    if args.max_steps is not None:
        steps_total = min(steps_total, args.max_steps)

    model.to(device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=steps_total, pct_start=0.15)
    scaler = grad_scaler(use_cuda, torch)

    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    step, resumed_from, last_val, earlier_s = 0, None, None, 0.0
    if os.path.isfile(checkpoint_path):
        try:
            state = load_checkpoint(checkpoint_path, torch)
        except Exception as error:
            state = None
            say(f"{checkpoint_path} cannot be read ({one_line(error)}): starting afresh")
        # A checkpoint continues only the run it came from: same data, base, step count, batches and seed.
        settings = {"dataHash": data_hash, "base": args.base, "stepsTotal": steps_total, "batchSize": args.batch_size, "seed": args.seed}
        if state is not None and all(state.get(key) == value for key, value in settings.items()):
            model.load_state_dict(state["model"])
            optimiser.load_state_dict(state["optimiser"])
            scheduler.load_state_dict(state["scheduler"])
            if state["scaler"]:  # empty when saved without mixed precision (a CPU run continued on CUDA)
                scaler.load_state_dict(state["scaler"])
            step, resumed_from, last_val = state["step"], state["step"], state.get("lastVal")
            earlier_s = state.get("elapsedS", 0.0)
            rng = state.get("rng", {})
            if "torch" in rng:
                torch.set_rng_state(rng["torch"])
            if "python" in rng:
                random.setstate(rng["python"])
            if "numpy" in rng:
                np.random.set_state(rng["numpy"])
            if use_cuda and rng.get("cuda") is not None:
                torch.cuda.set_rng_state_all(rng["cuda"])
        elif state is not None:
            say(f"{checkpoint_path} is for other data or settings (data, steps, base, batch size, seed): starting afresh")
    progress.step = step

    events.emit(
        "start",
        device=device.type,
        amp=use_cuda,
        base=args.base,
        train=len(train),
        val=len(val),
        skipped=len(skipped),
        stepsTotal=steps_total,
        resumedFromStep=resumed_from,
        dataHash=data_hash,
    )

    def checkpoint():
        state = {
            "model": model.state_dict(),
            "optimiser": optimiser.state_dict(),
            "scheduler": scheduler_state(scheduler),
            "scaler": scaler.state_dict(),
            "step": step,
            "epoch": step // batches_per_epoch,
            "stepsTotal": steps_total,
            "batchSize": args.batch_size,
            "seed": args.seed,
            "dataHash": data_hash,
            "base": args.base,
            "lastVal": last_val,
            "elapsedS": earlier_s + time.time() - started,
            "rng": {
                "torch": torch.get_rng_state(),
                "python": random.getstate(),
                "numpy": np.random.get_state(),
                "cuda": torch.cuda.get_rng_state_all() if use_cuda else None,
            },
        }
        save_atomically(lambda target: torch.save(state, target), checkpoint_path)
        events.emit("checkpoint", step=step, path=checkpoint_path)

    model.train()
    recent = []  # (predicted, labels, loss) of the last batches, for the running accuracy and MCC
    rate = None
    tick = time.time()
    generator = torch.Generator()
    progress.phase = "training"
    if progress.stop_code is not None:  # a signal that came while the start event was written
        checkpoint()
        events.emit("stopped", step=step)
        return progress.stop_code
    while step < steps_total:
        epoch = step // batches_per_epoch
        # The order of an epoch depends only on the seed and the epoch, so a resumed run sees the same batches.
        generator.manual_seed(args.seed * 1000003 + epoch)
        order = torch.randperm(len(train), generator=generator).tolist()
        for batch_index in range(step % batches_per_epoch, batches_per_epoch):
            if step >= steps_total:
                break
            if progress.stop_code is not None:
                checkpoint()
                events.emit("stopped", step=step)
                return progress.stop_code
            chosen = [train[i] for i in order[batch_index * args.batch_size : (batch_index + 1) * args.batch_size]]
            pixels, labels = to_tensor_batch(chosen, torch)
            pixels = normalise(augment(pixels, generator, device, torch), norm["mean"], norm["std"], torch)
            labels = labels.to(device)
            with torch.autocast(device_type=device.type, enabled=use_cuda):
                logits, _ = model(pixels)
                loss = torch.nn.functional.cross_entropy(logits.float(), labels)
            optimiser.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimiser)
            scaler.update()
            scheduler.step()
            step += 1
            progress.step = step

            recent.append((logits.detach().argmax(dim=1).tolist(), labels.tolist(), loss.item()))
            recent = recent[-RECENT_BATCHES:]
            now = time.time()
            instant = len(chosen) / max(1e-6, now - tick)
            rate = instant if rate is None else 0.9 * rate + 0.1 * instant
            tick = now
            if step % args.log_every == 0 or step == steps_total:
                predicted = [p for batch in recent for p in batch[0]]
                truth = [y for batch in recent for y in batch[1]]
                tp, fp, tn, fn = confusion(predicted, truth)
                events.emit(
                    "step",
                    step=step,
                    epoch=epoch + 1,
                    loss=round(sum(batch[2] for batch in recent) / len(recent), 5),
                    accuracy=round((tp + tn) / len(truth), 4),
                    mcc=round(mcc(tp, fp, tn, fn), 4),
                    lr=scheduler.get_last_lr()[0],
                    throughput=round(rate, 1),
                    etaS=round((steps_total - step) * args.batch_size / max(rate, 1e-6), 1),
                )
            epoch_ends = step % batches_per_epoch == 0 or step == steps_total
            if step % args.checkpoint_every == 0 and not epoch_ends:  # an epoch's end has its own
                checkpoint()
                tick = time.time()  # the time spent saving is not training throughput
        if step % batches_per_epoch == 0 or step == steps_total:
            last_val = evaluate(model, val, args.batch_size, norm, device, torch)
            results = last_val or {"valLoss": None, "valAccuracy": None, "valMcc": None}
            events.emit(
                "epoch",
                epoch=epoch + 1,
                step=step,
                **{key: None if value is None else round(value, 5) for key, value in results.items()},
            )
            checkpoint()
            tick = time.time()
    progress.phase = "export"  # a stop signal from here on waits for the export (seconds)

    onnx_path = os.path.join(args.out, "model.onnx")
    export_onnx(model, onnx_path, image_size, torch)
    duration_s = round(earlier_s + time.time() - started, 1)
    manifest = {
        "format": MANIFEST_FORMAT,
        "name": args.name,
        "version": args.version,
        "architecture": args.base,
        "file": "model.onnx",
        "input": {"name": "pixel_values", "width": image_size, "height": image_size, "mean": norm["mean"], "std": norm["std"]},
        "outputs": {"logits": "logits", "embedding": "embedding"},
        "labels": LABELS,
        "positiveLabel": "roadwork",
        "training": {
            "dataHash": data_hash,
            "images": {"train": len(train), "val": len(val)},
            "epochs": math.ceil(steps_total / batches_per_epoch),
            "steps": steps_total,
            "seed": args.seed,
            "device": f"cuda ({torch.cuda.get_device_name(0)})" if use_cuda else "cpu",
            "durationS": duration_s,
            "command": "python3 resources/trainer/train.py " + shlex.join(argv),
            "dataCommand": args.data_command,
        },
        "metrics": {
            "valAccuracy": None if last_val is None else round(last_val["valAccuracy"], 5),
            "valMcc": None if last_val is None else round(last_val["valMcc"], 5),
            "valLoss": None if last_val is None else round(last_val["valLoss"], 5),
        },
        "createdAt": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    manifest_path = os.path.join(args.out, "model.json")
    write_manifest(manifest_path, manifest)
    events.emit("exported", onnx=onnx_path, manifest=manifest_path, sizeBytes=os.path.getsize(onnx_path))
    events.emit(
        "done",
        step=step,
        valAccuracy=manifest["metrics"]["valAccuracy"],
        valMcc=manifest["metrics"]["valMcc"],
        durationS=duration_s,
    )
    return 0


def main(argv):
    args = parse_args(argv)  # --help still prints to stdout
    events.claim_stdout()
    signal.signal(signal.SIGTERM, on_stop_signal)
    signal.signal(signal.SIGINT, on_stop_signal)
    try:
        return run(args, argv)
    except TrainerError as error:
        events.emit("error", message=one_line(error))
        return EXIT_FAILED
    except Exception as error:
        out_of_memory = "out of memory" in one_line(error).lower()
        return events.unexpected(error, " (try a smaller --batch-size)" if out_of_memory else "")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
