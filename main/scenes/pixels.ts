/**
 * An RGB image as the validators' float tensor holds it (scaled to grey levels 0–255), and the
 * geometry their transforms apply to it: nearest-neighbour rotation, square crops, and the two
 * resizes (PIL/torchvision's antialiased bilinear, OpenCV's plain bilinear). Written out here
 * rather than left to sharp, whose rotation interpolates and whose resize shrinks by blocks first.
 */
import sharp from 'sharp';

export interface Pixels {
  /** Interleaved R, G, B; not rounded until a step of the validators' pipeline truncates. */
  data: Float32Array;
  width: number;
  height: number;
}

/** `source`: a scene's SVG, or an encoded image (EXIF orientation applied, alpha dropped as `convert('RGB')` does). */
export async function decodePixels(source: string | Buffer): Promise<Pixels> {
  const input = typeof source === 'string' ? sharp(Buffer.from(source)) : sharp(source).rotate();
  const { data, info } = await input.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Float32Array(data), width: info.width, height: info.height };
}

export function blankPixels(width: number, height: number): Pixels {
  return { data: new Float32Array(width * height * 3), width, height };
}

/** Python's `round`: halves go to the even neighbour. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** `(x * 255).astype(uint8)` / `ToPILImage`: the fraction is dropped, not rounded. */
export function truncate(image: Pixels): Pixels {
  const out = blankPixels(image.width, image.height);
  for (let i = 0; i < image.data.length; i++) {
    const v = image.data[i]!;
    out.data[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.floor(v);
  }
  return out;
}

/**
 * torchvision's `rotate` on a tensor (`expand=False`, no fill): each output pixel takes the input
 * pixel nearest to where it came from, rotating about the image centre; corners that came from
 * outside stay black. Positive degrees turn the picture counter-clockwise. `window`: only this
 * square of the rotated image is made (the crop that follows), the rest is never needed.
 */
export function rotateNearest(
  image: Pixels,
  degrees: number,
  window: { x: number; y: number; size: number } | null = null,
): Pixels {
  const { width, height } = image;
  const { x: left, y: top } = window ?? { x: 0, y: 0 };
  const outW = window ? window.size : width;
  const outH = window ? window.size : height;
  const out = blankPixels(outW, outH);
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const cx = width / 2;
  const cy = height / 2;
  for (let y = 0; y < outH; y++) {
    const oy = top + y + 0.5 - cy;
    for (let x = 0; x < outW; x++) {
      const ox = left + x + 0.5 - cx;
      // Where this pixel's centre came from; centres sit at index + 0.5 (align_corners=False).
      const sx = Math.round(cos * ox - sin * oy + cx - 0.5);
      const sy = Math.round(sin * ox + cos * oy + cy - 0.5);
      if (sx < 0 || sx >= width || sy < 0 || sy >= height) continue;
      const from = (sy * width + sx) * 3;
      const to = (y * outW + x) * 3;
      out.data[to] = image.data[from]!;
      out.data[to + 1] = image.data[from + 1]!;
      out.data[to + 2] = image.data[from + 2]!;
    }
  }
  return out;
}

export function cropSquare(image: Pixels, left: number, top: number, size: number): Pixels {
  const out = blankPixels(size, size);
  for (let y = 0; y < size; y++) {
    const from = ((top + y) * image.width + left) * 3;
    out.data.set(image.data.subarray(from, from + size * 3), y * size * 3);
  }
  return out;
}

/** For each output index along one axis: the first input index and the weights from there on. */
interface Taps {
  first: Int32Array;
  weights: Float64Array[];
}

/** PIL's bilinear filter, widened by the shrink factor when shrinking (antialiased), as torchvision's `antialias=True`. */
function antialiasedTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const widen = Math.max(scale, 1);
  const first = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const start = Math.max(Math.trunc(centre - widen + 0.5), 0);
    const end = Math.min(Math.trunc(centre + widen + 0.5), inSize);
    const w = new Float64Array(end - start);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const t = Math.abs((i - centre + 0.5) / widen);
      w[i - start] = t < 1 ? 1 - t : 0;
      sum += w[i - start]!;
    }
    for (let k = 0; k < w.length; k++) w[k]! /= sum;
    first[o] = start;
    weights.push(w);
  }
  return { first, weights };
}

/** OpenCV's INTER_LINEAR: two taps around the mapped centre, clamped at the borders, no widening. */
function linearTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const first = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const src = (o + 0.5) * scale - 0.5;
    let start = Math.floor(src);
    let frac = src - start;
    if (start < 0) {
      start = 0;
      frac = 0;
    }
    if (start >= inSize - 1) {
      start = inSize - 1;
      frac = 0;
    }
    first[o] = start;
    weights.push(frac === 0 ? Float64Array.of(1) : Float64Array.of(1 - frac, frac));
  }
  return { first, weights };
}

/** Horizontal pass then vertical; `roundEachPass` as PIL does on 8-bit images. */
function resample(image: Pixels, xTaps: Taps, yTaps: Taps, roundEachPass: boolean): Pixels {
  const outW = xTaps.first.length;
  const outH = yTaps.first.length;
  const pass = roundEachPass ? (v: number): number => Math.min(255, Math.max(0, Math.round(v))) : (v: number) => v;
  const wide = blankPixels(outW, image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < outW; x++) {
      const w = xTaps.weights[x]!;
      const base = (y * image.width + xTaps.first[x]!) * 3;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < w.length; k++) {
        r += w[k]! * image.data[base + k * 3]!;
        g += w[k]! * image.data[base + k * 3 + 1]!;
        b += w[k]! * image.data[base + k * 3 + 2]!;
      }
      const to = (y * outW + x) * 3;
      wide.data[to] = pass(r);
      wide.data[to + 1] = pass(g);
      wide.data[to + 2] = pass(b);
    }
  }
  const out = blankPixels(outW, outH);
  for (let y = 0; y < outH; y++) {
    const w = yTaps.weights[y]!;
    const row = yTaps.first[y]!;
    for (let x = 0; x < outW; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < w.length; k++) {
        const from = ((row + k) * outW + x) * 3;
        r += w[k]! * wide.data[from]!;
        g += w[k]! * wide.data[from + 1]!;
        b += w[k]! * wide.data[from + 2]!;
      }
      const to = (y * outW + x) * 3;
      out.data[to] = pass(r);
      out.data[to + 1] = pass(g);
      out.data[to + 2] = pass(b);
    }
  }
  return out;
}

/**
 * Bilinear with antialiasing: `quantised` as PIL's `Image.resize` on an 8-bit image (rounded
 * after each pass), otherwise as torchvision's tensor resize (kept as floats).
 */
export function resizeAntialiased(image: Pixels, width: number, height: number, quantised = false): Pixels {
  return resample(image, antialiasedTaps(image.width, width), antialiasedTaps(image.height, height), quantised);
}

/** `cv2.resize(..., INTER_LINEAR)` on an 8-bit image: rounded to whole grey levels. */
export function resizeLinearBytes(image: Pixels, width: number, height: number): Pixels {
  const out = resample(image, linearTaps(image.width, width), linearTaps(image.height, height), false);
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.min(255, Math.max(0, Math.round(out.data[i]!)));
  return out;
}
