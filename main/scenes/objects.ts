/**
 * Street objects drawn as SVG at a ground point (x, y) with scale s: the height in pixels of an
 * adult standing there. Roadwork cues first, then what any street holds, lookalikes included.
 */
import type { Rng } from './rng.js';
import { circle, ellipse, line, mix, polygon, polyline, rect } from './svg.js';

export type Draw = (x: number, y: number, s: number, rng: Rng) => string;

const SAFETY_ORANGE = ['#ff6a00', '#ff7a12', '#f25c05', '#ff8c1a', '#e8590c'];
const HI_VIS = ['#d7f70a', '#c9ef1c', '#ff7b00', '#ff9100', '#e6ff33'];
const HELMETS = ['#ffffff', '#ffd60a', '#ff8c00', '#f5f5f5', '#2b6cff'];
const SKIN = ['#f1c27d', '#e0ac69', '#c68642', '#8d5524', '#ffdbac'];
const CLOTHES = ['#2f3b52', '#5b5b5b', '#1f1f1f', '#6b4f3a', '#3b5b8c', '#7a2e2e', '#2e5e3e', '#d9d9d9', '#8a6fb0'];
export const CAR_COLOURS = [
  '#c8ccd2',
  '#1c1f24',
  '#f4f4f4',
  '#3a4f7a',
  '#7d1d1d',
  '#4a4a4a',
  '#2e5a3a',
  '#8a8f96',
  '#1f3050',
];

// ---- roadwork ---------------------------------------------------------------------------------

export const cone: Draw = (x, y, s, rng) => {
  const h = s * rng.range(0.3, 0.42);
  const w = h * 0.62;
  const colour = rng.pick(SAFETY_ORANGE);
  const band = (a: number, b: number): string => {
    const at = (f: number): [number, number, number] => {
      const half = (w / 2) * (1 - f) + w * 0.12 * f;
      return [x - half, x + half, y - h * 0.12 - h * 0.88 * f];
    };
    const [l1, r1, y1] = at(a);
    const [l2, r2, y2] = at(b);
    return polygon(
      [
        [l1, y1],
        [r1, y1],
        [r2, y2],
        [l2, y2],
      ],
      '#f4f4f4',
    );
  };
  return [
    rect(x - w * 0.62, y - h * 0.12, w * 1.24, h * 0.12, '#2a2a2a'),
    polygon(
      [
        [x - w / 2, y - h * 0.12],
        [x + w / 2, y - h * 0.12],
        [x + w * 0.06, y - h],
        [x - w * 0.06, y - h],
      ],
      colour,
    ),
    band(0.3, 0.42),
    band(0.58, 0.68),
  ].join('');
};

export const drum: Draw = (x, y, s, rng) => {
  const h = s * rng.range(0.45, 0.55);
  const w = h * 0.62;
  const colour = rng.pick(SAFETY_ORANGE);
  return [
    rect(x - w * 0.6, y - h * 0.06, w * 1.2, h * 0.06, '#222'),
    rect(x - w / 2, y - h, w, h * 0.94, colour, `rx="${(w * 0.12).toFixed(1)}"`),
    rect(x - w / 2, y - h * 0.74, w, h * 0.12, '#f7f7f7'),
    rect(x - w / 2, y - h * 0.46, w, h * 0.12, '#f7f7f7'),
    ellipse(x, y - h, w / 2, h * 0.06, mix(colour, '#000000', 0.25)),
  ].join('');
};

export const barrier: Draw = (x, y, s, rng) => {
  const w = s * rng.range(0.8, 1.3);
  const h = s * rng.range(0.42, 0.55);
  const red = rng.pick(['#d62828', '#e63946', '#c1121f', '#ff6a00']);
  const boardH = h * 0.22;
  const boards = rng.chance(0.5) ? [0.78, 0.4] : [0.78];
  const parts = [
    line(x - w * 0.42, y, x - w * 0.36, y - h, '#444', s * 0.03),
    line(x + w * 0.42, y, x + w * 0.36, y - h, '#444', s * 0.03),
  ];
  for (const level of boards) {
    const top = y - h * level - boardH / 2;
    parts.push(rect(x - w / 2, top, w, boardH, '#f5f5f5'));
    const stripes = 6;
    for (let i = 0; i < stripes; i += 2) {
      const x0 = x - w / 2 + (w / stripes) * i;
      const x1 = x0 + w / stripes;
      parts.push(
        polygon(
          [
            [x0, top + boardH],
            [x0 + boardH * 0.6, top],
            [x1 + boardH * 0.6, top],
            [x1, top + boardH],
          ],
          red,
        ),
      );
    }
  }
  return parts.join('');
};

export const workSign: Draw = (x, y, s, rng) => {
  const pole = s * rng.range(0.8, 1.1);
  const side = s * rng.range(0.38, 0.5);
  const top = y - pole - side * 0.85;
  const parts = [rect(x - s * 0.015, y - pole, s * 0.03, pole, '#8d939a')];
  if (rng.chance(0.6)) {
    // A red-bordered triangle with a worker digging: the European roadworks sign.
    const inner = side * 0.75;
    parts.push(
      polygon(
        [
          [x, top],
          [x + side / 2, top + side * 0.87],
          [x - side / 2, top + side * 0.87],
        ],
        '#d62828',
      ),
      polygon(
        [
          [x, top + side * 0.14],
          [x + inner / 2, top + side * 0.78],
          [x - inner / 2, top + side * 0.78],
        ],
        rng.pick(['#ffffff', '#ffd60a']),
      ),
      circle(x - side * 0.04, top + side * 0.42, side * 0.05, '#111'),
      line(x - side * 0.05, top + side * 0.48, x + side * 0.05, top + side * 0.66, '#111', side * 0.06),
      line(x + side * 0.02, top + side * 0.52, x + side * 0.16, top + side * 0.7, '#111', side * 0.03),
      polygon(
        [
          [x - side * 0.22, top + side * 0.75],
          [x - side * 0.05, top + side * 0.62],
          [x + side * 0.02, top + side * 0.75],
        ],
        '#111',
      ),
    );
  } else {
    // An orange diamond work-zone sign with a black symbol.
    const cy = top + side * 0.45;
    parts.push(
      polygon(
        [
          [x, cy - side / 2],
          [x + side / 2, cy],
          [x, cy + side / 2],
          [x - side / 2, cy],
        ],
        '#111',
      ),
      polygon(
        [
          [x, cy - side * 0.44],
          [x + side * 0.44, cy],
          [x, cy + side * 0.44],
          [x - side * 0.44, cy],
        ],
        rng.pick(SAFETY_ORANGE),
      ),
      circle(x - side * 0.05, cy - side * 0.14, side * 0.05, '#111'),
      line(x - side * 0.05, cy - side * 0.08, x + side * 0.06, cy + side * 0.14, '#111', side * 0.06),
      line(x + side * 0.06, cy - side * 0.02, x + side * 0.2, cy + side * 0.18, '#111', side * 0.03),
    );
  }
  return parts.join('');
};

export const arrowBoard: Draw = (x, y, s, rng) => {
  const w = s * rng.range(0.9, 1.2);
  const h = w * 0.55;
  const top = y - s * 0.35 - h;
  const lamp = '#ffd21f';
  const parts = [
    rect(x - w * 0.3, y - s * 0.35, w * 0.6, s * 0.2, '#3a3a3a'),
    circle(x - w * 0.25, y - s * 0.1, s * 0.1, '#111'),
    circle(x + w * 0.25, y - s * 0.1, s * 0.1, '#111'),
    rect(x - w / 2, top, w, h, '#0d0d0d'),
  ];
  const dir = rng.chance(0.5) ? 1 : -1;
  const r = h * 0.05;
  for (let i = -3; i <= 2; i++) parts.push(circle(x + i * w * 0.09 * dir, top + h / 2, r, lamp));
  for (let i = 1; i <= 3; i++) {
    parts.push(circle(x + (2 - i) * w * 0.09 * dir + w * 0.09 * dir, top + h / 2 - i * h * 0.1, r, lamp));
    parts.push(circle(x + (2 - i) * w * 0.09 * dir + w * 0.09 * dir, top + h / 2 + i * h * 0.1, r, lamp));
  }
  return parts.join('');
};

export const excavator: Draw = (x, y, s, rng) => {
  const w = s * rng.range(1.8, 2.4);
  const yellow = rng.pick(['#f2b90f', '#ffc300', '#e8a317', '#f4a300']);
  const dir = rng.chance(0.5) ? 1 : -1;
  const trackH = w * 0.16;
  const bodyTop = y - trackH - w * 0.28;
  const cabX = x - dir * w * 0.1;
  const parts = [
    rect(x - w / 2, y - trackH, w, trackH, '#2b2b2b', `rx="${(trackH / 2).toFixed(1)}"`),
    rect(x - w * 0.42, bodyTop + w * 0.1, w * 0.84, w * 0.18, yellow),
    rect(cabX - w * 0.14, bodyTop - w * 0.12, w * 0.28, w * 0.24, yellow),
    rect(cabX - w * 0.1, bodyTop - w * 0.09, w * 0.2, w * 0.13, '#7fa3b8'),
  ];
  for (let i = 0; i < 5; i++) parts.push(circle(x - w * 0.4 + (i * w * 0.8) / 4, y - trackH / 2, trackH * 0.3, '#555'));
  const shoulder: [number, number] = [x + dir * w * 0.2, bodyTop + w * 0.08];
  const elbow: [number, number] = [x + dir * w * 0.62, bodyTop - w * rng.range(0.2, 0.45)];
  const wrist: [number, number] = [x + dir * w * rng.range(0.75, 0.95), y - trackH * rng.range(0.2, 1.5)];
  parts.push(
    polyline([shoulder, elbow, wrist], yellow, w * 0.07),
    polyline([shoulder, elbow, wrist], mix(yellow, '#000000', 0.3), w * 0.015),
  );
  parts.push(
    polygon(
      [
        wrist,
        [wrist[0] + dir * w * 0.12, wrist[1] + w * 0.02],
        [wrist[0] + dir * w * 0.06, wrist[1] + w * 0.14],
        [wrist[0] - dir * w * 0.03, wrist[1] + w * 0.08],
      ],
      '#3a3a3a',
    ),
  );
  return parts.join('');
};

export const roller: Draw = (x, y, s, rng) => {
  const w = s * rng.range(1.3, 1.7);
  const yellow = rng.pick(['#f2b90f', '#ffc300', '#e8a317']);
  const drumR = w * 0.2;
  return [
    rect(x - w * 0.45, y - drumR * 2 - w * 0.12, w * 0.9, w * 0.14, yellow),
    rect(x - w * 0.15, y - drumR * 2 - w * 0.42, w * 0.3, w * 0.3, yellow),
    rect(x - w * 0.11, y - drumR * 2 - w * 0.38, w * 0.22, w * 0.14, '#7fa3b8'),
    rect(x - w * 0.45, y - drumR * 2, w * 0.9, drumR * 2, '#6b6b6b', `rx="${drumR.toFixed(1)}"`),
  ].join('');
};

/** A person: `vest` draws a high-visibility vest with reflective bands and a hard hat. */
function person(x: number, y: number, s: number, rng: Rng, shirt: string, vest: boolean): string {
  const h = s * rng.range(0.9, 1.05);
  const headR = h * 0.075;
  const torsoTop = y - h * 0.8;
  const torsoW = h * 0.26;
  const legs = rng.pick(CLOTHES);
  const stride = h * rng.range(0, 0.06);
  const parts = [
    line(x - torsoW * 0.2, y - h * 0.45, x - torsoW * 0.25 - stride, y, legs, h * 0.09),
    line(x + torsoW * 0.2, y - h * 0.45, x + torsoW * 0.25 + stride, y, legs, h * 0.09),
    rect(x - torsoW / 2, torsoTop, torsoW, h * 0.38, shirt, `rx="${(h * 0.04).toFixed(1)}"`),
    line(x - torsoW / 2, torsoTop + h * 0.05, x - torsoW * 0.75, y - h * 0.45, shirt, h * 0.06),
    line(x + torsoW / 2, torsoTop + h * 0.05, x + torsoW * 0.75, y - h * 0.45, shirt, h * 0.06),
    circle(x, torsoTop - headR * 1.1, headR, rng.pick(SKIN)),
  ];
  if (vest) {
    const colour = rng.pick(HI_VIS);
    parts.push(rect(x - torsoW * 0.5, torsoTop + h * 0.02, torsoW, h * 0.32, colour));
    parts.push(rect(x - torsoW * 0.5, torsoTop + h * 0.12, torsoW, h * 0.035, '#e8e8e8'));
    parts.push(rect(x - torsoW * 0.5, torsoTop + h * 0.24, torsoW, h * 0.035, '#e8e8e8'));
    const hat = rng.pick(HELMETS);
    parts.push(
      ellipse(x, torsoTop - headR * 1.5, headR * 1.25, headR * 0.8, hat),
      rect(x - headR * 1.5, torsoTop - headR * 1.4, headR * 3, headR * 0.3, hat),
    );
    if (rng.chance(0.4)) parts.push(line(x + torsoW * 0.75, y - h * 0.5, x + torsoW * 1.3, y, '#6b4f2a', h * 0.025));
  }
  return parts.join('');
}

export const worker: Draw = (x, y, s, rng) => person(x, y, s, rng, rng.pick(CLOTHES), true);
export const pedestrian: Draw = (x, y, s, rng) => person(x, y, s, rng, rng.pick(CLOTHES), false);
/** Lookalike: an orange top, but no vest bands and no hard hat. */
export const orangePedestrian: Draw = (x, y, s, rng) => person(x, y, s, rng, rng.pick(SAFETY_ORANGE), false);

/** An opened road: a dark patch of earth with a spoil heap, sometimes a steel plate. */
export const excavation: Draw = (x, y, s, rng) => {
  const w = s * rng.range(1.2, 2.2);
  const d = w * 0.18;
  const earth = rng.pick(['#5a3e26', '#6b4a2f', '#4a3420']);
  const parts = [
    ellipse(x, y - d * 0.2, w / 2, d, earth),
    ellipse(x, y - d * 0.3, w * 0.38, d * 0.6, '#2a1d12'),
    polygon(
      [
        [x + w * 0.3, y],
        [x + w * 0.55, y - s * 0.35],
        [x + w * 0.8, y],
      ],
      rng.pick(['#7a5a3a', '#8b7355', '#9a8a78']),
    ),
  ];
  if (rng.chance(0.4)) parts.push(rect(x - w * 0.6, y - d * 0.1, w * 0.35, d * 0.5, '#6d737a'));
  return parts.join('');
};

// ---- any street -------------------------------------------------------------------------------

/** A car seen from behind (same direction) or from the front (oncoming). */
export function car(colour: string, facing: 'rear' | 'front'): Draw {
  return (x, y, s, rng) => {
    const w = s * rng.range(0.95, 1.15);
    const h = w * rng.range(0.68, 0.8);
    const body = y - h * 0.12;
    const parts = [
      rect(x - w * 0.45, body - h * 0.05, w * 0.16, h * 0.17, '#111'),
      rect(x + w * 0.29, body - h * 0.05, w * 0.16, h * 0.17, '#111'),
      rect(x - w / 2, body - h * 0.55, w, h * 0.55, colour, `rx="${(w * 0.08).toFixed(1)}"`),
      polygon(
        [
          [x - w * 0.4, body - h * 0.55],
          [x + w * 0.4, body - h * 0.55],
          [x + w * 0.3, body - h * 0.92],
          [x - w * 0.3, body - h * 0.92],
        ],
        colour,
      ),
      polygon(
        [
          [x - w * 0.34, body - h * 0.57],
          [x + w * 0.34, body - h * 0.57],
          [x + w * 0.27, body - h * 0.88],
          [x - w * 0.27, body - h * 0.88],
        ],
        '#26323d',
      ),
      rect(x - w * 0.12, body - h * 0.22, w * 0.24, h * 0.1, '#f2f2f2'),
    ];
    const lamp = facing === 'rear' ? '#c1121f' : '#fff4c2';
    parts.push(
      rect(x - w * 0.46, body - h * 0.42, w * 0.14, h * 0.1, lamp),
      rect(x + w * 0.32, body - h * 0.42, w * 0.14, h * 0.1, lamp),
    );
    return parts.join('');
  };
}

export const bus: Draw = (x, y, s, rng) => {
  const w = s * rng.range(1.3, 1.6);
  const h = w * 1.15;
  const colour = rng.pick(['#c0392b', '#2d6cdf', '#f1f1f1', '#2e8b57', '#f4c20d']);
  return [
    rect(x - w / 2, y - h, w, h * 0.94, colour, `rx="${(w * 0.05).toFixed(1)}"`),
    rect(x - w * 0.44, y - h * 0.92, w * 0.88, h * 0.36, '#26323d'),
    rect(x - w * 0.46, y - h * 0.2, w * 0.12, h * 0.06, '#c1121f'),
    rect(x + w * 0.34, y - h * 0.2, w * 0.12, h * 0.06, '#c1121f'),
    rect(x - w * 0.44, y - h * 0.06, w * 0.18, h * 0.06, '#111'),
    rect(x + w * 0.26, y - h * 0.06, w * 0.18, h * 0.06, '#111'),
  ].join('');
};

export const tree: Draw = (x, y, s, rng) => {
  const h = s * rng.range(2.2, 3.4);
  const green = rng.pick(['#2f6b2f', '#3d7a35', '#4f8a3c', '#2a5a32', '#6a8f3a']);
  return [
    rect(x - s * 0.05, y - h * 0.55, s * 0.1, h * 0.55, '#5b4030'),
    circle(x, y - h * 0.7, h * 0.28, green),
    circle(x - h * 0.15, y - h * 0.6, h * 0.2, mix(green, '#000000', 0.15)),
    circle(x + h * 0.16, y - h * 0.62, h * 0.19, mix(green, '#ffffff', 0.08)),
  ].join('');
};

export const lampPost: Draw = (x, y, s) => {
  const h = s * 3;
  return [
    rect(x - s * 0.025, y - h, s * 0.05, h, '#55595e'),
    line(x, y - h, x + s * 0.35, y - h - s * 0.05, '#55595e', s * 0.04),
    rect(x + s * 0.25, y - h - s * 0.05, s * 0.18, s * 0.07, '#dfe6ea'),
  ].join('');
};

export const trafficLight: Draw = (x, y, s, rng) => {
  const h = s * 2;
  const lit = rng.pick([0, 1, 2]);
  const colours = ['#ff2d2d', '#ffbf00', '#2dff6a'];
  const parts = [
    rect(x - s * 0.03, y - h, s * 0.06, h, '#3b3f44'),
    rect(x - s * 0.1, y - h - s * 0.55, s * 0.2, s * 0.55, '#1b1b1b'),
  ];
  for (let i = 0; i < 3; i++)
    parts.push(circle(x, y - h - s * 0.46 + i * s * 0.18, s * 0.065, i === lit ? colours[i]! : '#333'));
  return parts.join('');
};

/** Lookalike: a red octagon on a pole. */
export const stopSign: Draw = (x, y, s, rng) => {
  const pole = s * rng.range(0.9, 1.2);
  const r = s * 0.22;
  const cy = y - pole - r;
  const octagon = (radius: number): [number, number][] =>
    Array.from({ length: 8 }, (_, i) => {
      const a = Math.PI / 8 + (i * Math.PI) / 4;
      return [x + radius * Math.cos(a), cy + radius * Math.sin(a)];
    });
  return [
    rect(x - s * 0.015, y - pole, s * 0.03, pole, '#8d939a'),
    polygon(octagon(r), '#ffffff'),
    polygon(octagon(r * 0.88), '#c8102e'),
    rect(x - r * 0.55, cy - r * 0.12, r * 1.1, r * 0.24, '#ffffff'),
  ].join('');
};

/** Lookalike: an orange litter bin or post box. */
export const orangeBin: Draw = (x, y, s, rng) => {
  const h = s * rng.range(0.45, 0.6);
  const w = h * 0.6;
  return [
    rect(x - w / 2, y - h, w, h, rng.pick(SAFETY_ORANGE), `rx="${(w * 0.1).toFixed(1)}"`),
    rect(x - w * 0.35, y - h * 0.85, w * 0.7, h * 0.08, '#222'),
  ].join('');
};

/** Lookalike: a bollard with red and white bands (a parking bollard, not a work zone). */
export const bollard: Draw = (x, y, s) => {
  const h = s * 0.5;
  const w = s * 0.08;
  return [
    rect(x - w / 2, y - h, w, h, '#f2f2f2'),
    rect(x - w / 2, y - h * 0.8, w, h * 0.15, '#c8102e'),
    rect(x - w / 2, y - h * 0.45, w, h * 0.15, '#c8102e'),
  ].join('');
};
