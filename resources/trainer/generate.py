#!/usr/bin/env python3
"""Generate synthetic street scenes, with and without roadwork, as a labelled ImageFolder.

Runs on the training box. With `--backend auto`, Stable Diffusion XL (diffusers, CUDA, a model
already in the local Hugging Face cache: it never downloads) when it can, else a procedural
generator drawn with Pillow and numpy. Writes OUT/roadwork/*.jpg, OUT/none/*.jpg and, last,
OUT/manifest.jsonl. stdout carries only JSON lines (start, progress, done, stopped, error), also
appended to OUT/events.jsonl; people-readable text goes to stderr. SIGTERM stops between images
and exits 143; the same command later skips the images already written and goes on.
"""
import argparse
import io
import json
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The event plumbing, argument errors and exit codes are train.py's: ship the folder whole.
from train import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_STOPPED, Events, Parser, one_line, say  # noqa: E402

LABELS = ("roadwork", "none")
IMAGE_SIZE = 512
JPEG_QUALITY = 90
DEFAULT_SDXL_MODEL = "stabilityai/stable-diffusion-xl-base-1.0"


class GeneratorError(Exception):
    """A problem the operator can fix; reported as one line."""


class GeneratorEvents(Events):
    """train.py's JSON lines (fd 1 for them alone, a file beside them), without its readable
    stderr lines: those describe training events."""

    def emit(self, event, **fields):
        line = json.dumps({"event": event, **fields}, separators=(",", ":")) + "\n"
        if self.stream is not None:
            try:
                self.stream.write(line)
                self.stream.flush()
            except (OSError, ValueError):
                self.stream = None  # the console went away: generate on; events.jsonl keeps the record
        if self.file:
            self.file.write(line)
            self.file.flush()


events = GeneratorEvents()


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv):
    parser = Parser(prog="generate.py", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for roadwork/, none/ and manifest.jsonl")
    parser.add_argument("--count", type=positive, required=True, help="images to generate")
    parser.add_argument("--seed", type=int, default=0, help="the same seed, arguments and backend give the same images")
    parser.add_argument("--prompt-set", choices=["roadwork", "none", "both"], default="both",
                        help="which class to generate (both: alternating, so any prefix is balanced)")
    parser.add_argument("--backend", choices=["auto", "sdxl", "procedural"], default="auto")
    parser.add_argument("--sdxl-model", default=DEFAULT_SDXL_MODEL,
                        help="a repo id in the local Hugging Face cache, or a folder (never downloaded)")
    parser.add_argument("--sdxl-steps", type=positive, default=30, help="denoising steps per SDXL image")
    return parser.parse_args(argv)


# ---- the plan: which image is which --------------------------------------------------------------


def image_seed(seed, index):
    """A per-image seed that does not depend on --count, so a longer run extends a shorter one."""
    return (seed * 1_000_003 + index * 7_919 + 12_345) % 2_147_483_647


def plan(args):
    items = []
    for index in range(args.count):
        label = args.prompt_set if args.prompt_set != "both" else LABELS[index % 2]
        item_seed = image_seed(args.seed, index)
        items.append({"file": f"{label}/gen-{args.seed}-{index:06d}.jpg", "label": label, "seed": item_seed})
    return items


# ---- the procedural backend ------------------------------------------------------------------------

SKIES = {
    "day": ((110, 168, 220), (213, 233, 247)),
    "golden": ((240, 163, 94), (253, 227, 176)),
    "dusk": ((60, 47, 92), (233, 139, 90)),
    "overcast": ((150, 156, 164), (205, 208, 212)),
    "night": ((7, 11, 24), (28, 38, 64)),
}
HI_VIS = ((255, 120, 0), (230, 240, 30), (255, 90, 20))


class Scene:
    """A dashcam view: a road running to a vanishing point. `at(t, u)` places a thing at depth t
    (0 horizon, 1 bottom edge) and across u (-1 left road edge, 1 right edge), with its scale."""

    def __init__(self, rng, size):
        self.size = size
        self.horizon = size * rng.uniform(0.34, 0.5)
        self.vx = size * rng.uniform(0.38, 0.62)
        self.road_half = size * rng.uniform(0.5, 0.85)
        self.near = size * rng.uniform(0.28, 0.4)

    def at(self, t, u):
        y = self.horizon + (self.size - self.horizon) * t
        x = self.vx + u * self.road_half * t
        return x, y, self.near * t


def shade(color, factor):
    return tuple(max(0, min(255, int(round(c * factor)))) for c in color)


def draw_sky_and_ground(draw, scene, rng, sky):
    top, bottom = SKIES[sky]
    h = int(scene.horizon) + 1
    for y in range(h):
        f = y / max(1, h - 1)
        draw.line([(0, y), (scene.size, y)], fill=tuple(int(a + (b - a) * f) for a, b in zip(top, bottom)))
    ground = rng.choice([(96, 112, 70), (120, 116, 104), (140, 132, 118)])
    draw.rectangle([0, scene.horizon, scene.size, scene.size], fill=ground)


def draw_buildings(draw, scene, rng, light):
    """Façades along both sides, shrinking toward the horizon, with rows of windows."""
    for side in (-1, 1):
        x = scene.vx + side * scene.size * 0.02
        while (side < 0 and x > -scene.size * 0.2) or (side > 0 and x < scene.size * 1.2):
            width = rng.uniform(0.08, 0.22) * scene.size
            distance = abs(x - scene.vx) / scene.size  # farther from the centre: nearer the camera
            height = scene.size * (0.08 + distance * rng.uniform(0.5, 1.1))
            left, right = (x - width, x) if side < 0 else (x, x + width)
            top = scene.horizon - height
            wall = shade(rng.choice([(176, 160, 140), (150, 90, 70), (200, 196, 186), (120, 124, 132), (210, 180, 120)]), light)
            draw.rectangle([left, top, right, scene.horizon + 2], fill=wall)
            window = (250, 220, 130) if light < 0.5 else shade((70, 90, 110), light * 1.2)
            step = max(6.0, width / rng.randint(3, 6))
            wy = top + step * 0.5
            while wy < scene.horizon - step * 0.6:
                wx = left + step * 0.3
                while wx < right - step * 0.6:
                    if light >= 0.5 or rng.random() < 0.5:
                        draw.rectangle([wx, wy, wx + step * 0.45, wy + step * 0.55], fill=window)
                    wx += step
                wy += step
            x = left if side < 0 else right


def draw_road(draw, scene, rng, light):
    s, h, vx = scene.size, scene.horizon, scene.vx
    asphalt = shade(rng.choice([(70, 72, 76), (90, 90, 92), (56, 58, 62)]), light)
    left, right = scene.at(1, -1), scene.at(1, 1)
    draw.polygon([(vx - 2, h), (vx + 2, h), (right[0], s), (left[0], s)], fill=asphalt)
    mark = shade((235, 235, 225), light)
    for u in (-0.95, 0.95):  # solid edge lines
        x1, y1, _ = scene.at(1, u)
        draw.line([(vx, h), (x1, y1)], fill=mark, width=max(1, int(s * 0.006)))
    lanes = rng.choice([0.0, 0.0, -0.33, 0.33])
    color = mark if rng.random() < 0.7 else shade((240, 200, 40), light)
    t = 0.02
    while t < 1:  # dashes that lengthen toward the camera
        t2 = min(1.0, t * 1.35 + 0.01)
        xa, ya, sa = scene.at(t, lanes)
        xb, yb, sb = scene.at(t + (t2 - t) * 0.55, lanes)
        draw.polygon([(xa - sa * 0.03, ya), (xa + sa * 0.03, ya), (xb + sb * 0.03, yb), (xb - sb * 0.03, yb)], fill=color)
        t = t2


def draw_tree(draw, x, y, k, rng, light):
    draw.rectangle([x - k * 0.04, y - k * 0.5, x + k * 0.04, y], fill=shade((90, 64, 40), light))
    r = k * rng.uniform(0.2, 0.32)
    draw.ellipse([x - r, y - k * 0.5 - r * 1.6, x + r, y - k * 0.5 + r * 0.4], fill=shade(rng.choice([(60, 110, 50), (80, 130, 60), (50, 90, 45)]), light))


def draw_lamp(draw, x, y, k, light):
    draw.line([(x, y), (x, y - k * 0.9)], fill=shade((60, 60, 64), light), width=max(1, int(k * 0.03)))
    draw.ellipse([x - k * 0.05, y - k * 0.95, x + k * 0.05, y - k * 0.88], fill=(255, 236, 170) if light < 0.5 else (200, 200, 190))


def draw_car(draw, x, y, k, rng, light, orange=False):
    body = (240, 120, 20) if orange else rng.choice([(180, 30, 30), (30, 60, 150), (220, 220, 220), (30, 30, 34), (120, 120, 126)])
    body = shade(body, light)
    w, hgt = k * 0.5, k * 0.28
    draw.rectangle([x - w, y - hgt, x + w, y - k * 0.06], fill=body)
    draw.rectangle([x - w * 0.7, y - hgt * 1.6, x + w * 0.7, y - hgt], fill=body)
    draw.rectangle([x - w * 0.6, y - hgt * 1.5, x + w * 0.6, y - hgt * 1.05], fill=shade((150, 180, 200), light))
    for wx in (x - w * 0.65, x + w * 0.65):
        draw.ellipse([wx - k * 0.08, y - k * 0.14, wx + k * 0.08, y + k * 0.02], fill=(20, 20, 20))
    draw.rectangle([x - w * 0.95, y - hgt * 0.8, x - w * 0.75, y - hgt * 0.6], fill=(255, 60, 40) if light < 0.5 else (200, 40, 30))
    draw.rectangle([x + w * 0.75, y - hgt * 0.8, x + w * 0.95, y - hgt * 0.6], fill=(255, 60, 40) if light < 0.5 else (200, 40, 30))


def draw_pedestrian(draw, x, y, k, rng, light, vest=None):
    clothes = shade(vest or rng.choice([(40, 50, 90), (120, 40, 40), (60, 60, 60), (200, 190, 170)]), light if vest is None else max(light, 0.8))
    legs = shade((40, 40, 48), light)
    draw.rectangle([x - k * 0.05, y - k * 0.32, x - k * 0.01, y], fill=legs)
    draw.rectangle([x + k * 0.01, y - k * 0.32, x + k * 0.05, y], fill=legs)
    draw.rectangle([x - k * 0.08, y - k * 0.62, x + k * 0.08, y - k * 0.3], fill=clothes)
    if vest is not None:  # reflective bands
        for band in (0.42, 0.52):
            draw.rectangle([x - k * 0.08, y - k * (band + 0.02), x + k * 0.08, y - k * band], fill=(230, 230, 230))
    draw.ellipse([x - k * 0.05, y - k * 0.74, x + k * 0.05, y - k * 0.62], fill=shade((210, 170, 140), light))
    if vest is not None:  # a hard hat
        draw.chord([x - k * 0.065, y - k * 0.79, x + k * 0.065, y - k * 0.67], 180, 360, fill=rng.choice([(250, 220, 0), (250, 250, 250), (255, 130, 0)]))


def draw_cone(draw, x, y, k, light):
    orange = shade((255, 110, 0), max(light, 0.7))
    h, w = k * 0.3, k * 0.1
    draw.polygon([(x - w, y), (x + w, y), (x + w * 0.18, y - h), (x - w * 0.18, y - h)], fill=orange)
    draw.polygon([(x - w * 0.66, y - h * 0.45), (x + w * 0.66, y - h * 0.45), (x + w * 0.5, y - h * 0.62), (x - w * 0.5, y - h * 0.62)], fill=(245, 245, 245))
    draw.rectangle([x - w * 1.3, y - k * 0.02, x + w * 1.3, y], fill=shade((40, 40, 40), light))


def draw_barrier(draw, x, y, k, rng, light):
    w, top, bar = k * rng.uniform(0.35, 0.6), y - k * 0.34, k * 0.1
    stripe_colors = ((220, 30, 30), (250, 250, 250)) if rng.random() < 0.5 else ((255, 120, 0), (250, 250, 250))
    for lx in (x - w * 0.85, x + w * 0.85):
        draw.rectangle([lx - k * 0.015, top, lx + k * 0.015, y], fill=shade((70, 70, 70), light))
    stripes = 6
    for i in range(stripes):
        x0 = x - w + 2 * w * i / stripes
        color = shade(stripe_colors[i % 2], max(light, 0.75))
        draw.polygon([(x0, top + bar), (x0 + 2 * w / stripes, top + bar), (x0 + 2 * w / stripes + bar * 0.6, top), (x0 + bar * 0.6, top)], fill=color)


def draw_sign(draw, x, y, k, rng, light):
    """A diamond work-zone sign on a post, with a worker (or '!') glyph."""
    post_top = y - k * 0.7
    draw.line([(x, y), (x, post_top)], fill=shade((90, 90, 90), light), width=max(1, int(k * 0.025)))
    r = k * 0.17
    face = (255, 150, 0) if rng.random() < 0.6 else (250, 215, 0)
    draw.polygon([(x, post_top - r), (x + r, post_top), (x, post_top + r), (x - r, post_top)], fill=shade(face, max(light, 0.8)), outline=(20, 20, 20))
    if rng.random() < 0.5:
        draw.rectangle([x - r * 0.08, post_top - r * 0.55, x + r * 0.08, post_top + r * 0.15], fill=(20, 20, 20))
        draw.ellipse([x - r * 0.1, post_top + r * 0.28, x + r * 0.1, post_top + r * 0.48], fill=(20, 20, 20))
    else:  # a digging worker
        draw.ellipse([x - r * 0.22, post_top - r * 0.55, x - r * 0.02, post_top - r * 0.35], fill=(20, 20, 20))
        draw.line([(x - r * 0.12, post_top - r * 0.35), (x + r * 0.05, post_top + r * 0.2)], fill=(20, 20, 20), width=max(1, int(r * 0.14)))
        draw.line([(x + r * 0.05, post_top + r * 0.2), (x - r * 0.2, post_top + r * 0.55)], fill=(20, 20, 20), width=max(1, int(r * 0.1)))
        draw.line([(x + r * 0.05, post_top + r * 0.2), (x + r * 0.3, post_top + r * 0.55)], fill=(20, 20, 20), width=max(1, int(r * 0.1)))
        draw.line([(x - r * 0.05, post_top - r * 0.1), (x + r * 0.4, post_top + r * 0.35)], fill=(20, 20, 20), width=max(1, int(r * 0.06)))


def draw_striped_awning(draw, x, y, k, rng, light):
    """A lookalike: red-and-white stripes that are not a barrier."""
    w, top = k * 0.45, y - k * 0.75
    for i in range(8):
        color = (200, 40, 40) if i % 2 == 0 else (245, 245, 245)
        draw.rectangle([x - w + 2 * w * i / 8, top, x - w + 2 * w * (i + 1) / 8, top + k * 0.1], fill=shade(color, light))


def render_procedural(item_seed, roadwork, size=IMAGE_SIZE):
    """One scene as a PIL image: a pure function of the seed and the class."""
    from PIL import Image, ImageDraw, ImageFilter
    import numpy as np

    rng = random.Random(item_seed)
    sky = rng.choice(["day", "day", "day", "golden", "dusk", "overcast", "overcast", "night"])
    light = {"day": 1.0, "golden": 0.9, "dusk": 0.6, "overcast": 0.8, "night": 0.35}[sky]
    scene = Scene(rng, size)
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    draw_sky_and_ground(draw, scene, rng, sky)
    draw_buildings(draw, scene, rng, light)
    draw_road(draw, scene, rng, light)

    things = []  # (depth, draw call): drawn far to near
    for _ in range(rng.randint(2, 8)):  # roadside trees and lamps
        t, u = rng.uniform(0.1, 0.9), rng.choice([-1, 1]) * rng.uniform(1.05, 1.4)
        kind = rng.random()
        things.append((t, u, lambda x, y, k, kind=kind: draw_tree(draw, x, y, k, rng, light) if kind < 0.6 else draw_lamp(draw, x, y, k, light)))
    for _ in range(rng.randint(0, 4)):  # traffic
        t, u = rng.uniform(0.15, 0.85), rng.uniform(-0.7, 0.7)
        orange = rng.random() < 0.12  # a lookalike in either class
        things.append((t, u, lambda x, y, k, orange=orange: draw_car(draw, x, y, k, rng, light, orange)))
    for _ in range(rng.randint(0, 3)):  # pedestrians on the pavement
        t, u = rng.uniform(0.2, 0.9), rng.choice([-1, 1]) * rng.uniform(0.98, 1.2)
        things.append((t, u, lambda x, y, k: draw_pedestrian(draw, x, y, k, rng, light)))
    if not roadwork and rng.random() < 0.3:
        t, u = rng.uniform(0.3, 0.8), rng.choice([-1, 1]) * rng.uniform(1.1, 1.3)
        things.append((t, u, lambda x, y, k: draw_striped_awning(draw, x, y, k, rng, light)))

    if roadwork:
        side = rng.choice([-1, 1])
        cues = rng.sample(["cones", "barrier", "sign", "workers"], rng.randint(1, 4))
        if "cones" in cues:  # a taper of cones closing a lane
            t0, n = rng.uniform(0.25, 0.6), rng.randint(3, 8)
            for i in range(n):
                t = min(0.97, t0 + i * rng.uniform(0.04, 0.08))
                u = side * (0.9 - 0.5 * i / max(1, n - 1))
                things.append((t, u, lambda x, y, k: draw_cone(draw, x, y, k, light)))
        if "barrier" in cues:
            for _ in range(rng.randint(1, 3)):
                t, u = rng.uniform(0.3, 0.85), side * rng.uniform(0.4, 0.9)
                things.append((t, u, lambda x, y, k: draw_barrier(draw, x, y, k, rng, light)))
        if "sign" in cues:
            t, u = rng.uniform(0.35, 0.8), side * rng.uniform(1.02, 1.2)
            things.append((t, u, lambda x, y, k: draw_sign(draw, x, y, k, rng, light)))
        if "workers" in cues:
            for _ in range(rng.randint(1, 3)):
                t, u = rng.uniform(0.3, 0.85), side * rng.uniform(0.5, 1.0)
                vest = rng.choice(HI_VIS)
                things.append((t, u, lambda x, y, k, vest=vest: draw_pedestrian(draw, x, y, k, rng, light, vest)))

    for t, u, draw_thing in sorted(things, key=lambda thing: thing[0]):
        x, y, k = scene.at(t, u)
        draw_thing(x, y, max(k, 2.0))

    if sky == "overcast" and rng.random() < 0.5:  # haze
        image = Image.blend(image, Image.new("RGB", image.size, (200, 202, 206)), rng.uniform(0.1, 0.3))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.1)))
    noise = np.random.default_rng(item_seed).normal(0.0, rng.uniform(2.0, 7.0), (size, size, 3))
    pixels = np.clip(np.asarray(image, dtype=np.float32) * rng.uniform(0.85, 1.15) + noise, 0, 255)
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


# ---- the SDXL backend ----------------------------------------------------------------------------

ROADWORK_PROMPTS = [
    "dashcam photo of a city street with road works, orange traffic cones closing a lane, construction barriers",
    "photo from a car of a road construction zone, workers in high-visibility vests and hard hats, warning signs",
    "street view of roadworks, asphalt being repaired, red and white barriers, traffic cones, excavator",
    "suburban road with a work zone, orange diamond road work ahead sign, cones along the kerb",
]
NONE_PROMPTS = [
    "dashcam photo of an ordinary city street, parked cars, shops, pedestrians on the pavement",
    "photo from a car of a quiet suburban road, houses, trees, clear lane markings",
    "street view of a busy avenue with traffic, buses and cyclists, nothing under construction",
    "country road through fields seen from a car, road signs, no works",
]
SCENE_VARIANTS = ["at noon", "at dusk", "at night under street lights", "on an overcast day", "in light rain", "in the morning sun"]
NEGATIVE = {"roadwork": "cartoon, drawing, text, watermark", "none": "traffic cones, construction, roadworks, barriers, workers in vests, cartoon, text"}


class SdxlUnavailable(Exception):
    """Why SDXL cannot run here (no diffusers, no CUDA, model not in the local cache)."""


def load_sdxl(model):
    try:
        from diffusers import StableDiffusionXLPipeline  # first: without it, torch need not load
        import torch
    except ImportError as error:
        raise SdxlUnavailable(f"diffusers is not importable ({one_line(error)})")
    if not torch.cuda.is_available():
        raise SdxlUnavailable("PyTorch sees no CUDA GPU")
    last = None
    for variant in ("fp16", None):  # the half-precision files when the cache has them
        try:
            pipeline = StableDiffusionXLPipeline.from_pretrained(
                model, torch_dtype=torch.float16, variant=variant, use_safetensors=True, local_files_only=True
            )
            break
        except Exception as error:  # noqa: BLE001 - diffusers raises OSError, ValueError, EnvironmentError…
            last = error
    else:
        raise SdxlUnavailable(f"{model} is not in the local Hugging Face cache ({one_line(last)})")
    pipeline = pipeline.to("cuda")
    pipeline.set_progress_bar_config(disable=True)
    return pipeline


def render_sdxl(pipeline, item_seed, label, steps):
    import torch
    from PIL import Image

    rng = random.Random(item_seed)
    prompt = f"{rng.choice(ROADWORK_PROMPTS if label == 'roadwork' else NONE_PROMPTS)}, {rng.choice(SCENE_VARIANTS)}, photorealistic"
    generator = torch.Generator(device="cuda").manual_seed(item_seed)
    image = pipeline(prompt=prompt, negative_prompt=NEGATIVE[label], num_inference_steps=steps,
                     guidance_scale=6.5, width=1024, height=1024, generator=generator).images[0]
    return image.convert("RGB").resize((IMAGE_SIZE, IMAGE_SIZE), Image.LANCZOS)


# ---- the run -------------------------------------------------------------------------------------


class Stop:
    code = None


def on_stop_signal(signum, _frame):
    # Between images the loop stops; an image being drawn is finished first (seconds at most).
    Stop.code = EXIT_STOPPED if signum == signal.SIGTERM else EXIT_INTERRUPTED


def write_atomically(path, data):
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def choose_backend(args):
    """(backend name, SDXL pipeline or None, why SDXL was not used or None)."""
    if args.backend == "procedural":
        return "procedural", None, None
    try:
        return "sdxl", load_sdxl(args.sdxl_model), None
    except SdxlUnavailable as error:
        if args.backend == "sdxl":
            raise GeneratorError(f"--backend sdxl cannot run: {error}")
        return "procedural", None, f"SDXL unavailable: {error}; using the procedural generator"


def run(args):
    started = time.time()
    if os.path.exists(os.path.join(args.out, "manifest.jsonl")):
        raise GeneratorError(f"{args.out} already holds a dataset (manifest.jsonl): choose an empty folder")
    for label in LABELS:
        os.makedirs(os.path.join(args.out, label), exist_ok=True)
    events.open(os.path.join(args.out, "events.jsonl"))

    backend, pipeline, fallback = choose_backend(args)
    if fallback:
        say(fallback)
    items = plan(args)
    present = sum(1 for item in items if os.path.exists(os.path.join(args.out, item["file"])))
    events.emit("start", backend=backend, requested=args.backend, fallback=fallback, count=args.count,
                seed=args.seed, promptSet=args.prompt_set, resumed=present)
    say(f"generating {args.count} images with the {backend} backend into {args.out}" + (f" ({present} already there)" if present else ""))

    for done, item in enumerate(items, start=1):
        if Stop.code is not None:
            events.emit("stopped", done=done - 1, total=len(items))
            return Stop.code
        path = os.path.join(args.out, item["file"])
        if not os.path.exists(path):  # an earlier, stopped run drew it already (the same bytes)
            if pipeline is not None:
                image = render_sdxl(pipeline, item["seed"], item["label"], args.sdxl_steps)
            else:
                image = render_procedural(item["seed"], item["label"] == "roadwork")
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
            write_atomically(path, buffer.getvalue())
        events.emit("progress", done=done, total=len(items))

    entries = [
        {"file": item["file"], "label": item["label"], "source": "generated", "seed": item["seed"],
         "distortions": {"generator": backend}}
        for item in items
    ]
    # The manifest comes last: a folder with one holds a whole set.
    write_atomically(os.path.join(args.out, "manifest.jsonl"),
                     "".join(json.dumps(entry, separators=(",", ":")) + "\n" for entry in entries).encode("utf-8"))
    counts = {label: sum(1 for item in items if item["label"] == label) for label in LABELS}
    duration = round(time.time() - started, 1)
    events.emit("done", count=len(items), roadwork=counts["roadwork"], none=counts["none"], backend=backend,
                manifest=os.path.join(args.out, "manifest.jsonl"), durationS=duration)
    say(f"done: {counts['roadwork']} roadwork and {counts['none']} none images in {duration} s")
    return 0


def main(argv):
    args = parse_args(argv)
    events.claim_stdout()
    signal.signal(signal.SIGTERM, on_stop_signal)
    signal.signal(signal.SIGINT, on_stop_signal)
    try:
        return run(args)
    except GeneratorError as error:
        events.emit("error", message=one_line(error))
        return EXIT_FAILED
    except OSError as error:  # a full disk, a folder that cannot be written
        events.emit("error", message=f"{args.out}: {one_line(error.strerror or error)}")
        return EXIT_FAILED
    except Exception as error:
        return events.unexpected(error)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
