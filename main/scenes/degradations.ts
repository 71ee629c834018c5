/**
 * The five DeeperForensics distortions the validators' levels 2 and 3 draw from, as their
 * functions really behave (natix image_transforms.py): each takes and returns whole grey levels
 * (the validators truncate the tensor to uint8 before and divide by 255 after). Input values must
 * already be whole (see `truncate`).
 *
 * Colour work happens in the validators' own "Y'CbCr": OpenCV's float YCrCb of the 0–255 values
 * (chroma offset 0.5, the float convention), then scaled as if it were in 0–1:
 * Y' = (219·Y + 16)/255, C' = (224·C + 16)/255.
 */
import { blankPixels, resizeLinearBytes, type Pixels } from './pixels.js';
import type { Rng } from './rng.js';

type Triple = [number, number, number];

function toScaledYcc(r: number, g: number, b: number): Triple {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  const cr = 0.713 * (r - y) + 0.5;
  const cb = 0.564 * (b - y) + 0.5;
  return [(219 * y + 16) / 255, (224 * cb + 16) / 255, (224 * cr + 16) / 255];
}

function fromScaledYcc(ys: number, cbs: number, crs: number): Triple {
  const y = (255 * ys - 16) / 219;
  const cb = (255 * cbs - 16) / 224 - 0.5;
  const cr = (255 * crs - 16) / 224 - 0.5;
  return [y + 1.403 * cr, y - 0.714 * cr - 0.344 * cb, y + 1.773 * cb];
}

/** `astype(np.uint8)` after a clip to 0–255. */
function byte(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.floor(value);
}

function perPixel(image: Pixels, change: (r: number, g: number, b: number) => Triple): Pixels {
  const out = blankPixels(image.width, image.height);
  const d = image.data;
  for (let i = 0; i < d.length; i += 3) {
    const [r, g, b] = change(d[i]!, d[i + 1]!, d[i + 2]!);
    out.data[i] = byte(r);
    out.data[i + 1] = byte(g);
    out.data[i + 2] = byte(b);
  }
  return out;
}

/** CS: both chroma channels pulled toward 0.5 by `keep` (about: luma kept, colour ×keep). */
export function colourSaturation(image: Pixels, keep: number): Pixels {
  return perPixel(image, (r, g, b) => {
    const [y, cb, cr] = toScaledYcc(r, g, b);
    return fromScaledYcc(y, 0.5 + (cb - 0.5) * keep, 0.5 + (cr - 0.5) * keep);
  });
}

/** CC, "colour contrast": really every value ×factor, i.e. a darkening. */
export function darken(image: Pixels, factor: number): Pixels {
  return perPixel(image, (r, g, b) => [r * factor, g * factor, b * factor]);
}

/** "JPEG compression": really a bilinear resize down to (W//factor, H//factor) and back. */
export function downAndUp(image: Pixels, factor: number): Pixels {
  const small = resizeLinearBytes(image, Math.floor(image.width / factor), Math.floor(image.height / factor));
  return resizeLinearBytes(small, image.width, image.height);
}

/**
 * GNC: standard normal noise ×√variance added to each of Y', Cb', Cr' in their 0–1 scaling
 * (so 255·√variance in grey levels), converted back, clipped and truncated. The three noises
 * mix into every RGB channel, so R, G and B move together.
 */
export function gaussianNoise(image: Pixels, variance: number, rng: Rng): Pixels {
  const sigma = 255 * Math.sqrt(variance);
  const normals = standardNormals(image.data.length, rng);
  let n = 0;
  return perPixel(image, (r, g, b) => {
    const [y, cb, cr] = toScaledYcc(r, g, b);
    return fromScaledYcc(y + sigma * normals[n++]!, cb + sigma * normals[n++]!, cr + sigma * normals[n++]!);
  });
}

/** Box–Muller, both of each pair used (a noise image needs many). */
function standardNormals(count: number, rng: Rng): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
    const angle = 2 * Math.PI * rng.next();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** `cv2.GaussianBlur` with a kernel×kernel window, σ = kernel/6, borders mirrored (reflect-101). */
export function gaussianBlur(image: Pixels, kernel: number): Pixels {
  const sigma = kernel / 6;
  const half = (kernel - 1) / 2;
  const raw = Array.from({ length: kernel }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const total = raw.reduce((sum, w) => sum + w, 0);
  const weights = Float64Array.from(raw, (w) => w / total);
  const { width, height } = image;
  const across = blurPass(image.data, width, height, weights, 3, width);
  const out = blurPass(across, height, width, weights, width * 3, 1);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(out[i]!)));
  return { data: out, width, height };
}

/**
 * One 1-D pass along lines of `length` samples `step` apart (floats, channels interleaved);
 * `lines` lines, each starting `lineStep` pixels after the previous one.
 */
function blurPass(
  data: Float32Array,
  length: number,
  lines: number,
  weights: Float64Array,
  step: number,
  lineStep: number,
): Float32Array {
  const half = (weights.length - 1) / 2;
  // reflect-101: −1 → 1, length → length − 2.
  const mirror = (i: number): number => (length === 1 ? 0 : i < 0 ? -i : i >= length ? 2 * length - 2 - i : i);
  const taps = new Int32Array(length * weights.length);
  for (let i = 0; i < length; i++)
    for (let k = 0; k < weights.length; k++) taps[i * weights.length + k] = mirror(i + k - half) * step;
  const out = new Float32Array(data.length);
  for (let line = 0; line < lines; line++) {
    const base = line * lineStep * 3;
    for (let i = 0; i < length; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < weights.length; k++) {
        const at = base + taps[i * weights.length + k]!;
        const w = weights[k]!;
        r += w * data[at]!;
        g += w * data[at + 1]!;
        b += w * data[at + 2]!;
      }
      const to = base + i * step;
      out[to] = r;
      out[to + 1] = g;
      out[to + 2] = b;
    }
  }
  return out;
}
