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
from datetime import datetime, timezone

LABELS = ["none", "roadwork"]
MANIFEST_FORMAT = "streetvision-model/1"
EXIT_STOPPED = 143


class TrainerError(Exception):
    """A problem the operator can fix; reported as one line."""


class Events:
    def __init__(self):
        self.file = None

    def open(self, path):
        self.file = open(path, "a", encoding="utf-8")

    def emit(self, event, **fields):
        line = json.dumps({"event": event, **fields}, separators=(",", ":"))
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        if self.file:
            self.file.write(line + "\n")
            self.file.flush()


events = Events()


def say(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="ImageFolder (roadwork/, none/) with manifest.jsonl")
    parser.add_argument("--out", required=True, help="folder for checkpoint.pt, metrics.jsonl, model.onnx, model.json")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base", default="small-cnn", help="small-cnn, or hf:<repo id or local folder>")
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--val-fraction", type=float, default=0.1)
    parser.add_argument("--checkpoint-every", type=int, default=100)
    parser.add_argument("--log-every", type=int, default=10)
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--workers", type=int, default=None, help="data loader processes (default: 0 on CPU, 4 on CUDA)")
    parser.add_argument("--name", default="model")
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--data-command", default=None, help="how the data was made, recorded in model.json")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1 or args.image_size < 32 or not 0 <= args.val_fraction < 1:
        parser.error("--epochs and --batch-size must be at least 1, --image-size at least 32, --val-fraction in [0, 1)")
    if not all(part.isdigit() for part in args.version.split(".")) or args.version.count(".") != 2:
        parser.error("--version must look like 1.2.3")
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


def read_dataset(data_dir, val_fraction, image_size):
    """Decodes every image once (the set fits in memory): a corrupt file is skipped and counted."""
    import numpy as np
    from PIL import Image

    manifest = os.path.join(data_dir, "manifest.jsonl")
    if not os.path.isdir(data_dir):
        raise TrainerError(f"{data_dir} is not a folder")
    if not os.path.isfile(manifest):
        raise TrainerError(f"{manifest} is missing: the data folder needs a manifest.jsonl")
    entries = []
    with open(manifest, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                label = LABELS.index(entry["label"])
                file_name = entry["file"]
            except (ValueError, KeyError, TypeError):
                raise TrainerError(f"{manifest} line {number} is not a dataset entry with a file and a label (none or roadwork)")
            entries.append((file_name, label, entry.get("split")))
    entries.sort()
    hash_lines = []
    train, val, skipped = [], [], []
    for file_name, label, split in entries:
        path = os.path.join(data_dir, file_name)
        try:
            with Image.open(path) as image:
                pixels = np.asarray(image.convert("RGB").resize((image_size, image_size), Image.BILINEAR), dtype=np.uint8)
        except (OSError, ValueError, SyntaxError) as error:
            skipped.append(file_name)
            say(f"skipping {file_name}: {error}")
            continue
        hash_lines.append(f"{file_name}\t{LABELS[label]}\t{file_sha256(path)}")
        is_val = split == "val" if split in ("train", "val") else held_out(file_name, val_fraction)
        (val if is_val else train).append((pixels, label))
    classes = {label for _, label in train}
    if len(classes) < 2:
        raise TrainerError(f"the training split of {data_dir} holds only {'no' if not classes else LABELS[classes.pop()]} images: it needs both roadwork and none")
    data_hash = "sha256:" + hashlib.sha256("\n".join(hash_lines).encode()).hexdigest()
    return train, val, skipped, data_hash


def to_tensor_batch(items, torch):
    import numpy as np

    pixels = torch.from_numpy(np.stack([item[0] for item in items])).permute(0, 3, 1, 2).contiguous()
    labels = torch.tensor([item[1] for item in items], dtype=torch.long)
    return pixels, labels


def augment(pixels, generator, torch):
    """Batched on uint8 NCHW: crop (0.55–1 of the area), flips, small rotations, brightness and blur,
    like the validators' levels, as one affine resampling. Returns floats in [0, 1]."""
    import torch.nn.functional as F

    n = pixels.shape[0]
    x = pixels.float() / 255.0
    r = torch.rand(n, 8, generator=generator)
    side = torch.sqrt(0.55 + 0.45 * r[:, 0])
    shift_x = (r[:, 1] * 2 - 1) * (1 - side)
    shift_y = (r[:, 2] * 2 - 1) * (1 - side)
    flip_x = torch.where(r[:, 3] < 0.5, -1.0, 1.0)
    flip_y = torch.where(r[:, 4] < 0.25, -1.0, 1.0)
    angle = torch.where(r[:, 5] < 0.4, (r[:, 6] - 0.5) * math.radians(30), torch.zeros(n))
    cos, sin = torch.cos(angle) * side, torch.sin(angle) * side
    theta = torch.stack(
        [torch.stack([cos * flip_x, -sin * flip_y, shift_x], 1), torch.stack([sin * flip_x, cos * flip_y, shift_y], 1)], 1
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    x = x * (0.75 + 0.5 * r[:, 7]).view(n, 1, 1, 1)
    blurred = r[:, 6] < 0.2
    if blurred.any():
        kernel_1d = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0]) / 16
        kernel = (kernel_1d[:, None] * kernel_1d[None, :]).expand(3, 1, 5, 5).contiguous()
        x[blurred] = F.conv2d(F.pad(x[blurred], (2, 2, 2, 2), mode="replicate"), kernel, groups=3)
    return x.clamp(0, 1)


def normalise(pixels, mean, std, torch):
    """uint8 (0–255) or float (0–1) NCHW pixels → the model's input."""
    m = torch.tensor(mean, device=pixels.device).view(1, 3, 1, 1)
    s = torch.tensor(std, device=pixels.device).view(1, 3, 1, 1)
    scaled = pixels.float() / 255.0 if pixels.dtype == torch.uint8 else pixels
    return (scaled - m) / s


# ---- models -----------------------------------------------------------------------------------


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


def build_hf_model(reference, torch):
    """A Hugging Face image classifier already on this box (a local folder or the HF cache): never downloads."""
    try:
        from transformers import AutoImageProcessor, AutoModelForImageClassification
    except ImportError:
        raise TrainerError("--base hf:… needs the transformers package on the training box (pip install transformers)")
    try:
        processor = AutoImageProcessor.from_pretrained(reference, local_files_only=True)
        backbone = AutoModelForImageClassification.from_pretrained(
            reference,
            local_files_only=True,
            num_labels=len(LABELS),
            id2label=dict(enumerate(LABELS)),
            label2id={label: i for i, label in enumerate(LABELS)},
            ignore_mismatched_sizes=True,
        )
    except (OSError, ValueError) as error:
        raise TrainerError(f"{reference} is not available on this box without a download ({str(error).splitlines()[0]})")

    class HfClassifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = backbone

        def forward(self, x):
            output = self.backbone(pixel_values=x, output_hidden_states=True)
            hidden = output.hidden_states[-1]
            embedding = hidden[:, 0] if hidden.dim() == 3 else hidden.mean(dim=(2, 3))
            return output.logits, embedding

    size = processor.size.get("height") or processor.size.get("shortest_edge") if isinstance(processor.size, dict) else processor.size
    return HfClassifier(), {"mean": list(processor.image_mean), "std": list(processor.image_std), "size": size}


# ---- metrics ----------------------------------------------------------------------------------


def mcc(tp, fp, tn, fn):
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
    temporary = f"{path}.tmp-{os.getpid()}"
    write(temporary)
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def export_onnx(model, path, image_size, torch):
    class Exported(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, pixel_values):
            return self.inner(pixel_values)

    model.eval()
    wrapper = Exported(model).to("cpu").float()
    dummy = torch.zeros(1, 3, image_size, image_size)
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
        ),
        path,
    )
    try:
        import onnx

        onnx.checker.check_model(onnx.load(path))
    except ImportError:
        say("onnx is not installed: the exported graph was not checked")


def write_manifest(path, manifest):
    def write(target):
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=2)
            handle.write("\n")

    save_atomically(write, path)


# ---- the run ----------------------------------------------------------------------------------


def run(args, argv):
    import torch

    started = time.time()
    os.makedirs(args.out, exist_ok=True)
    events.open(os.path.join(args.out, "metrics.jsonl"))
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    use_cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
    if args.device == "cuda" and not torch.cuda.is_available():
        raise TrainerError("--device cuda was asked for, but PyTorch sees no CUDA GPU on this box")
    device = torch.device("cuda" if use_cuda else "cpu")
    if not use_cuda:
        torch.set_num_threads(max(1, os.cpu_count() or 1))
    workers = args.workers if args.workers is not None else (4 if use_cuda else 0)
    del workers  # batches are built from decoded images in memory; kept for command compatibility

    if args.base == "small-cnn":
        model, norm = build_small_cnn(torch)
        image_size = args.image_size
    elif args.base.startswith("hf:"):
        model, norm = build_hf_model(args.base[3:], torch)
        image_size = norm["size"] or args.image_size
    else:
        raise TrainerError(f"--base must be small-cnn or hf:<repo or folder>, not {args.base}")

    say(f"reading {args.data}")
    train, val, skipped, data_hash = read_dataset(args.data, args.val_fraction, image_size)
    batches_per_epoch = max(1, len(train) // args.batch_size)
    steps_total = args.epochs * batches_per_epoch
    if args.max_steps is not None:
        steps_total = max(1, min(steps_total, args.max_steps))

    model.to(device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=steps_total, pct_start=0.15)
    scaler = torch.cuda.amp.GradScaler(enabled=use_cuda)

    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    step, resumed_from, last_val = 0, None, None
    if os.path.isfile(checkpoint_path):
        state = torch.load(checkpoint_path, map_location=device)
        if state.get("dataHash") == data_hash and state.get("stepsTotal") == steps_total and state.get("base") == args.base:
            model.load_state_dict(state["model"])
            optimiser.load_state_dict(state["optimiser"])
            scheduler.load_state_dict(state["scheduler"])
            scaler.load_state_dict(state["scaler"])
            step, resumed_from, last_val = state["step"], state["step"], state.get("lastVal")
            torch.set_rng_state(state["torchRng"])
            say(f"resuming from step {step}")
        else:
            say("a checkpoint exists for other data or settings: starting afresh")

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

    stop_requested = {"flag": False}
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.update(flag=True))

    def checkpoint():
        state = {
            "model": model.state_dict(),
            "optimiser": optimiser.state_dict(),
            "scheduler": scheduler.state_dict(),
            "scaler": scaler.state_dict(),
            "step": step,
            "stepsTotal": steps_total,
            "dataHash": data_hash,
            "base": args.base,
            "lastVal": last_val,
            "torchRng": torch.get_rng_state(),
        }
        save_atomically(lambda target: torch.save(state, target), checkpoint_path)
        events.emit("checkpoint", step=step, path=checkpoint_path)

    model.train()
    recent = []  # (predicted, label) of the last few batches, for running accuracy and MCC
    rate = None
    tick = time.time()
    generator = torch.Generator()
    while step < steps_total:
        epoch = step // batches_per_epoch
        # The order of an epoch depends only on the seed and the epoch, so a resumed run sees the same batches.
        generator.manual_seed(args.seed * 1000003 + epoch)
        order = torch.randperm(len(train), generator=generator).tolist()
        for batch_index in range(step % batches_per_epoch, batches_per_epoch):
            if step >= steps_total:
                break
            if stop_requested["flag"]:
                checkpoint()
                events.emit("stopped", step=step)
                return EXIT_STOPPED
            chosen = [train[i] for i in order[batch_index * args.batch_size : (batch_index + 1) * args.batch_size]]
            pixels, labels = to_tensor_batch(chosen, torch)
            pixels = normalise(augment(pixels, generator, torch).to(device), norm["mean"], norm["std"], torch)
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

            recent.append(((logits.detach().argmax(dim=1)).tolist(), labels.tolist(), loss.item()))
            recent = recent[-20:]
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
            if step % args.checkpoint_every == 0 and step < steps_total:
                checkpoint()
        if step % batches_per_epoch == 0 or step == steps_total:
            last_val = evaluate(model, val, args.batch_size, norm, device, torch)
            if last_val is not None:
                events.emit("epoch", epoch=epoch + 1, step=step, **{k: round(v, 5) for k, v in last_val.items()})
            checkpoint()

    onnx_path = os.path.join(args.out, "model.onnx")
    export_onnx(model, onnx_path, image_size, torch)
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
            "device": device.type if not use_cuda else f"cuda ({torch.cuda.get_device_name(0)})",
            "durationS": round(time.time() - started, 1),
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
        durationS=manifest["training"]["durationS"],
    )
    return 0


def main(argv):
    args = parse_args(argv)
    try:
        return run(args, argv)
    except TrainerError as error:
        events.emit("error", message=str(error))
        say(f"error: {error}")
        return 1
    except Exception as error:  # anything else: still one clear line for the console, then the trace for the log
        events.emit("error", message=f"{type(error).__name__}: {error}")
        raise


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
