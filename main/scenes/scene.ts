/**
 * Draws one street scene as SVG, from a dashcam's point of view: a road to a vanishing point,
 * buildings, trees and traffic, at a time of day and in a weather. A roadwork scene adds one or
 * more work-zone cues; any scene may hold lookalikes (orange cars, stop signs, striped awnings).
 */
import * as obj from './objects.js';
import type { Rng } from './rng.js';
import { circle, mix, polygon, rect } from './svg.js';

export const SCENE_WIDTH = 480;
export const SCENE_HEIGHT = 320;

export type TimeOfDay = 'day' | 'golden' | 'dusk' | 'night';
export type Weather = 'clear' | 'overcast' | 'rain' | 'fog';

export interface Scene {
  svg: string;
  roadwork: boolean;
  time: TimeOfDay;
  weather: Weather;
  /** The roadwork cues drawn (empty for a scene without roadwork). */
  cues: string[];
  lookalikes: string[];
}

interface View {
  w: number;
  h: number;
  horizon: number;
  vx: number;
  roadHalf: number;
  near: number;
}

interface Item {
  y: number;
  svg: string;
}

const SKIES: Record<TimeOfDay, [string, string]> = {
  day: ['#6ea8dc', '#d5e9f7'],
  golden: ['#f0a35e', '#fde3b0'],
  dusk: ['#3c2f5c', '#e98b5a'],
  night: ['#070b18', '#1c2640'],
};

const yAt = (v: View, t: number): number => v.horizon + (v.h - v.horizon) * t;
const scaleAt = (v: View, y: number): number => (v.near * (y - v.horizon)) / (v.h - v.horizon);
const xAt = (v: View, y: number, u: number): number => v.vx + (u * v.roadHalf * (y - v.horizon)) / (v.h - v.horizon);

export function drawScene(rng: Rng, roadwork: boolean): Scene {
  const time = rng.pick<TimeOfDay>(['day', 'day', 'day', 'golden', 'dusk', 'night']);
  const weather = rng.pick<Weather>(['clear', 'clear', 'overcast', 'rain', 'fog']);
  const view: View = {
    w: SCENE_WIDTH,
    h: SCENE_HEIGHT,
    horizon: SCENE_HEIGHT * rng.range(0.3, 0.52),
    vx: SCENE_WIDTH * rng.range(0.3, 0.7),
    roadHalf: SCENE_WIDTH * rng.range(0.45, 0.85),
    near: rng.range(95, 140),
  };
  const items: Item[] = [];
  const add = (t: number, u: number, draw: obj.Draw, sizeJitter = 1): [number, number] => {
    const y = yAt(view, t);
    const x = xAt(view, y, u);
    const s = scaleAt(view, y) * sizeJitter;
    items.push({ y, svg: draw(x, y, s, rng) });
    return [x, y - s * 0.3];
  };

  const lookalikes: string[] = [];
  const background = drawBackground(view, rng, time, weather, lookalikes);
  addStreetLife(view, rng, add);

  const cues: string[] = [];
  if (roadwork) addRoadwork(view, rng, add, cues);
  if (rng.chance(roadwork ? 0.35 : 0.7)) addLookalikes(rng, add, lookalikes);

  items.sort((a, b) => a.y - b.y);
  const overlay = drawAtmosphere(view, rng, time, weather);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${view.w}" height="${view.h}" viewBox="0 0 ${view.w} ${view.h}">`,
    background,
    ...items.map((item) => item.svg),
    overlay,
    '</svg>',
  ].join('');
  return { svg, roadwork, time, weather, cues, lookalikes };
}

function drawBackground(v: View, rng: Rng, time: TimeOfDay, weather: Weather, lookalikes: string[]): string {
  const [skyTop, skyBottom] =
    weather === 'overcast' || weather === 'rain'
      ? [mix(SKIES[time][0], '#8a9099', 0.7), mix(SKIES[time][1], '#b5bac0', 0.7)]
      : SKIES[time];
  const parts = [
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${skyTop}"/><stop offset="1" stop-color="${skyBottom}"/></linearGradient></defs>`,
    rect(0, 0, v.w, v.h, 'url(#sky)'),
  ];
  // A far skyline, then the ground.
  const haze = mix(skyBottom, '#5a6470', 0.45);
  for (let x = -20; x < v.w; x += rng.range(18, 46)) {
    parts.push(rect(x, v.horizon - rng.range(8, 55), rng.range(16, 44), 60, haze));
  }
  const ground = rng.pick(['#7c8278', '#8d8a80', '#6f7a6a', '#9a968c']);
  parts.push(rect(0, v.horizon, v.w, v.h - v.horizon, ground));
  const asphalt = rng.pick(['#4a4d52', '#3d4045', '#55585d', '#5e6166', '#35383c']);
  const left = (y: number, u: number): number => xAt(v, y, u);
  parts.push(
    polygon(
      [
        [left(v.horizon, -1.4), v.horizon],
        [left(v.horizon, 1.4), v.horizon],
        [left(v.h, 1.4), v.h],
        [left(v.h, -1.4), v.h],
      ],
      mix(ground, '#b0b0b0', 0.35),
    ),
  );
  parts.push(
    polygon(
      [
        [v.vx - 1, v.horizon],
        [v.vx + 1, v.horizon],
        [left(v.h, 1), v.h],
        [left(v.h, -1), v.h],
      ],
      asphalt,
    ),
  );

  // Lane markings: a dashed centre line, sometimes solid edge lines.
  const marking = rng.chance(0.25) ? '#e8c547' : '#e9e9e9';
  const lanes = rng.pick([[0], [-1 / 3, 1 / 3], [0, -0.5, 0.5]]);
  for (const u of lanes) {
    for (let t = 0.04; t < 1; t += 0.12) {
      const y1 = yAt(v, t);
      const y2 = yAt(v, Math.min(1, t + 0.06));
      const w1 = scaleAt(v, y1) * 0.04;
      const w2 = scaleAt(v, y2) * 0.04;
      parts.push(
        polygon(
          [
            [xAt(v, y1, u) - w1, y1],
            [xAt(v, y1, u) + w1, y1],
            [xAt(v, y2, u) + w2, y2],
            [xAt(v, y2, u) - w2, y2],
          ],
          marking,
        ),
      );
    }
  }
  if (rng.chance(0.5)) {
    for (const u of [-0.95, 0.95]) {
      const w = scaleAt(v, v.h) * 0.03;
      parts.push(
        polygon(
          [
            [xAt(v, v.horizon, u), v.horizon],
            [xAt(v, v.h, u) - w, v.h],
            [xAt(v, v.h, u) + w, v.h],
          ],
          '#dcdcdc',
        ),
      );
    }
  }

  // Buildings along both sides, facades in perspective; some with striped shop awnings.
  for (const side of [-1, 1]) {
    let t = rng.range(0.02, 0.08);
    while (t < 1.05) {
      const t2 = Math.min(1.25, t + rng.range(0.12, 0.35));
      const ya = yAt(v, t);
      const yb = yAt(v, t2);
      const ua = side * 1.45;
      const xa = xAt(v, ya, ua);
      const xb = xAt(v, yb, ua);
      const storeys = rng.range(2.5, 7);
      const ha = scaleAt(v, ya) * storeys;
      const hb = scaleAt(v, yb) * storeys;
      const wall = rng.pick(['#b9a58c', '#d8d2c4', '#9c6b4f', '#c7c2b8', '#8e8f93', '#e0c9a6', '#a7b1b8']);
      const lit = time === 'night' || time === 'dusk';
      parts.push(
        polygon(
          [
            [xa, ya],
            [xb, yb],
            [xb, yb - hb],
            [xa, ya - ha],
          ],
          wall,
        ),
      );
      const rows = Math.max(2, Math.round(storeys));
      const cols = Math.max(2, Math.round((t2 - t) * 10));
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const f1 = (c + 0.25) / cols;
          const f2 = (c + 0.75) / cols;
          const g1 = (r + 0.3) / rows;
          const g2 = (r + 0.75) / rows;
          const corner = (f: number, g: number): [number, number] => {
            const x = xa + (xb - xa) * f;
            const base = ya + (yb - ya) * f;
            const height = ha + (hb - ha) * f;
            return [x, base - height * (1 - g) - height * 0.02];
          };
          const glass = lit && rng.chance(0.45) ? '#f7d774' : rng.pick(['#36444f', '#3f5566', '#2c3640']);
          parts.push(polygon([corner(f1, g1), corner(f2, g1), corner(f2, g2), corner(f1, g2)], glass));
        }
      }
      if (rng.chance(0.18)) {
        lookalikes.push('striped-awning');
        const stripes = 8;
        for (let i = 0; i < stripes; i++) {
          const f1 = i / stripes;
          const f2 = (i + 1) / stripes;
          const at = (f: number, up: number): [number, number] => {
            const base = ya + (yb - ya) * f;
            const height = ha + (hb - ha) * f;
            return [xa + (xb - xa) * f + side * height * 0.02 * (1 - up), base - height * (0.22 + up * 0.06)];
          };
          parts.push(
            polygon(
              [at(f1, 0), at(f2, 0), at(f2, 1), at(f1, 1)],
              i % 2 === 0 ? rng.pick(['#c8102e', '#e63946', '#ff6a00', '#2a7a2a']) : '#f5f5f5',
            ),
          );
        }
      }
      t = t2 + rng.range(0, 0.05);
    }
  }
  return parts.join('');
}

type Add = (t: number, u: number, draw: obj.Draw, sizeJitter?: number) => [number, number];

function addStreetLife(v: View, rng: Rng, add: Add): void {
  for (let i = rng.int(0, 5); i > 0; i--)
    add(rng.range(0.05, 0.85), rng.pick([-1, 1]) * rng.range(1.15, 1.3), obj.tree);
  for (let i = rng.int(0, 3); i > 0; i--) add(rng.range(0.1, 0.9), rng.pick([-1, 1]) * 1.1, obj.lampPost);
  for (let i = rng.int(0, 4); i > 0; i--)
    add(rng.range(0.15, 0.95), rng.pick([-1, 1]) * rng.range(1.1, 1.35), obj.pedestrian);
  for (let i = rng.int(0, 4); i > 0; i--) {
    const oncoming = rng.chance(0.4);
    add(
      rng.range(0.08, 0.8),
      oncoming ? -rng.range(0.3, 0.7) : rng.range(0.2, 0.7),
      obj.car(rng.pick(obj.CAR_COLOURS), oncoming ? 'front' : 'rear'),
    );
  }
  for (let i = rng.int(0, 3); i > 0; i--)
    add(rng.range(0.2, 0.95), rng.pick([-1, 1]) * rng.range(0.82, 0.95), obj.car(rng.pick(obj.CAR_COLOURS), 'rear'));
  if (rng.chance(0.15)) add(rng.range(0.1, 0.6), rng.range(-0.5, 0.5), obj.bus);
  void v;
}

/**
 * One or more work-zone cues. The first (the primary cue) stands inside the central square that
 * a level-0 centre crop keeps, and not too far off: a roadwork photo shows its roadwork (the
 * random crops of levels 1–3 may still cut it out, as the validators' do). The others may be
 * anywhere, small or cut off.
 */
function addRoadwork(v: View, rng: Rng, add: Add, cues: string[]): void {
  const kinds = [
    'cone-line',
    'cones',
    'barrier',
    'drums',
    'sign',
    'excavator',
    'roller',
    'workers',
    'excavation',
    'arrow-board',
  ] as const;
  type Kind = (typeof kinds)[number];
  const count = rng.chance(0.15) ? 1 : rng.chance(0.45) ? 2 : rng.int(3, 4);
  const chosen: Kind[] = [];
  while (chosen.length < count) {
    const kind = rng.pick(kinds);
    if (!chosen.includes(kind)) chosen.push(kind);
  }
  // A patch of dug-up road alone is too faint to call; it always comes with crew or cones.
  if (chosen.length === 1 && chosen[0] === 'excavation') chosen.push(rng.pick(['cones', 'workers'] as const));

  chosen.forEach((kind, index) => {
    cues.push(kind);
    const primary = index === 0;
    // Where this cue goes: for the primary cue, resampled until it lands in the central square.
    const spot = (t: () => number, u: () => number): [number, number] => {
      for (let attempt = 0; attempt < 30; attempt++) {
        const ti = t();
        const ui = u();
        if (!primary || insideCentre(v, ti, ui)) return [ti, ui];
      }
      return [rng.range(0.4, 0.7), rng.range(-0.3, 0.3)];
    };
    const nearT = (): number => (primary ? rng.range(0.4, 0.9) : rng.range(0.3, 0.95));
    const lateral = (): number => rng.pick([-1, 1]) * rng.range(0.1, 1.05);
    switch (kind) {
      case 'cone-line': {
        // A lane closure: cones angled across a lane, from near the kerb toward the centre.
        const side = rng.pick([-1, 1]);
        const [tMid, uMid] = spot(
          () => rng.range(0.35, 0.65),
          () => side * rng.range(0.3, 0.6),
        );
        const n = rng.int(4, 9);
        for (let i = 0; i < n; i++) {
          const f = i / (n - 1) - 0.5;
          add(tMid - f * 0.4, uMid + side * f * 0.75, obj.cone);
        }
        break;
      }
      case 'cones': {
        const [t, u] = spot(nearT, lateral);
        for (let i = rng.int(1, 4); i > 0; i--) add(t + rng.range(-0.08, 0.08), u + rng.range(-0.25, 0.25), obj.cone);
        break;
      }
      case 'barrier': {
        const [t, u] = spot(nearT, lateral);
        add(t, u, obj.barrier);
        if (rng.chance(0.5)) add(rng.range(0.3, 0.95), lateral(), obj.barrier);
        break;
      }
      case 'drums': {
        const [t, u] = spot(nearT, lateral);
        for (let i = rng.int(2, 5); i > 0; i--) add(t - i * 0.05, u, obj.drum);
        break;
      }
      case 'sign': {
        // At the kerb, or (as portable signs stand) on the road itself.
        const [t, u] = spot(nearT, () =>
          primary && rng.chance(0.5) ? rng.range(-0.8, 0.8) : rng.pick([-1, 1]) * rng.range(0.9, 1.15),
        );
        add(t, u, obj.workSign, primary ? rng.range(1.1, 1.4) : 1);
        break;
      }
      case 'excavator': {
        const [t, u] = spot(() => rng.range(0.3, 0.8), lateral);
        add(t, u, obj.excavator);
        break;
      }
      case 'roller': {
        const [t, u] = spot(() => rng.range(0.3, 0.85), lateral);
        add(t, u, obj.roller);
        break;
      }
      case 'workers': {
        const [t, u] = spot(nearT, lateral);
        add(t, u, obj.worker);
        for (let i = rng.int(0, 2); i > 0; i--) add(rng.range(0.3, 0.95), lateral(), obj.worker);
        break;
      }
      case 'excavation': {
        const [t, u] = spot(
          () => rng.range(0.4, 0.95),
          () => rng.range(-0.6, 0.6),
        );
        add(t, u, obj.excavation);
        break;
      }
      case 'arrow-board': {
        const [t, u] = spot(
          () => rng.range(0.3, 0.8),
          () => rng.range(-0.7, 0.7),
        );
        add(t, u, obj.arrowBoard);
        break;
      }
    }
  });
}

/** Whether a ground point falls inside the centred square a level-0 crop keeps, with a margin. */
function insideCentre(v: View, t: number, u: number): boolean {
  const y = yAt(v, t);
  const x = xAt(v, y, u);
  const margin = scaleAt(v, y) * 0.5;
  return x > (v.w - v.h) / 2 + margin && x < (v.w + v.h) / 2 - margin;
}

function addLookalikes(rng: Rng, add: Add, lookalikes: string[]): void {
  const options: [string, () => void][] = [
    [
      'orange-car',
      () =>
        add(
          rng.range(0.2, 0.9),
          rng.range(-0.7, 0.9),
          obj.car(rng.pick(['#ff6a00', '#ff7a12', '#e8590c', '#f4a300']), 'rear'),
        ),
    ],
    ['stop-sign', () => add(rng.range(0.3, 0.95), rng.pick([-1, 1]) * rng.range(1.0, 1.2), obj.stopSign)],
    [
      'orange-pedestrian',
      () => add(rng.range(0.3, 0.95), rng.pick([-1, 1]) * rng.range(1.05, 1.3), obj.orangePedestrian),
    ],
    ['orange-bin', () => add(rng.range(0.3, 0.95), rng.pick([-1, 1]) * rng.range(1.05, 1.25), obj.orangeBin)],
    [
      'bollards',
      () => {
        const t = rng.range(0.4, 0.95);
        const side = rng.pick([-1, 1]);
        for (let i = 0; i < 3; i++) add(t - i * 0.06, side * 1.05, obj.bollard);
      },
    ],
    ['yellow-bus', () => add(rng.range(0.15, 0.6), rng.range(-0.5, 0.5), obj.bus)],
    ['traffic-light', () => add(rng.range(0.2, 0.8), rng.pick([-1, 1]) * 1.08, obj.trafficLight)],
  ];
  for (let i = rng.int(1, 3); i > 0; i--) {
    const [name, place] = rng.pick(options);
    lookalikes.push(name);
    place();
  }
}

function drawAtmosphere(v: View, rng: Rng, time: TimeOfDay, weather: Weather): string {
  const parts: string[] = [];
  if (time === 'night') parts.push(rect(0, 0, v.w, v.h, '#050a1a', 'opacity="0.45"'));
  if (time === 'dusk') parts.push(rect(0, 0, v.w, v.h, '#2a1a3a', 'opacity="0.2"'));
  if (time === 'night' || time === 'dusk') {
    for (let i = rng.int(2, 6); i > 0; i--) {
      const y = yAt(v, rng.range(0.05, 0.7));
      const x = xAt(v, y, rng.pick([-1, 1]) * 1.1);
      parts.push(circle(x, y - scaleAt(v, y) * 3, scaleAt(v, y) * 0.5, '#ffd98a', 'opacity="0.35"'));
    }
  }
  if (weather === 'fog') {
    parts.push(
      `<defs><linearGradient id="fog" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#dfe3e6" stop-opacity="0.85"/><stop offset="${((v.horizon / v.h) * 1.2).toFixed(2)}" stop-color="#dfe3e6" stop-opacity="0.65"/><stop offset="1" stop-color="#dfe3e6" stop-opacity="0.15"/></linearGradient></defs>`,
      rect(0, 0, v.w, v.h, 'url(#fog)'),
    );
  }
  if (weather === 'rain') {
    parts.push(rect(0, 0, v.w, v.h, '#3a4450', 'opacity="0.18"'));
    const streaks: string[] = [];
    for (let i = 0; i < 140; i++) {
      const x = rng.range(0, v.w);
      const y = rng.range(0, v.h);
      const len = rng.range(6, 16);
      streaks.push(`M${x.toFixed(1)} ${y.toFixed(1)}l${(-len * 0.25).toFixed(1)} ${len.toFixed(1)}`);
    }
    parts.push(`<path d="${streaks.join('')}" stroke="#d0d8e0" stroke-width="0.8" opacity="0.5"/>`);
  }
  return parts.join('');
}
