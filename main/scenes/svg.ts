/** Tiny helpers to write SVG markup without a DOM. Numbers are rounded so output is stable. */

export const fmt = (value: number): string => (Math.round(value * 10) / 10).toString();

export function points(coords: readonly (readonly [number, number])[]): string {
  return coords.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(' ');
}

export function polygon(coords: readonly (readonly [number, number])[], fill: string, extra = ''): string {
  return `<polygon points="${points(coords)}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;
}

export function rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): string {
  return `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(Math.max(0, w))}" height="${fmt(Math.max(0, h))}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;
}

export function circle(cx: number, cy: number, r: number, fill: string, extra = ''): string {
  return `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(Math.max(0, r))}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;
}

export function ellipse(cx: number, cy: number, rx: number, ry: number, fill: string, extra = ''): string {
  return `<ellipse cx="${fmt(cx)}" cy="${fmt(cy)}" rx="${fmt(Math.max(0, rx))}" ry="${fmt(Math.max(0, ry))}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;
}

export function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  stroke: string,
  width: number,
  extra = '',
): string {
  return `<line x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}" stroke="${stroke}" stroke-width="${fmt(Math.max(0.3, width))}"${extra ? ` ${extra}` : ''}/>`;
}

export function polyline(
  coords: readonly (readonly [number, number])[],
  stroke: string,
  width: number,
  extra = '',
): string {
  return `<polyline points="${points(coords)}" fill="none" stroke="${stroke}" stroke-width="${fmt(Math.max(0.3, width))}" stroke-linecap="round" stroke-linejoin="round"${extra ? ` ${extra}` : ''}/>`;
}

/** Mixes two `#rrggbb` colours: t = 0 gives a, 1 gives b. */
export function mix(a: string, b: string, t: number): string {
  const pa = parseHex(a);
  const pb = parseHex(b);
  const c = pa.map((value, i) => Math.round(value + (pb[i]! - value) * t));
  return `#${c.map((value) => Math.max(0, Math.min(255, value)).toString(16).padStart(2, '0')).join('')}`;
}

function parseHex(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}
