/**
 * At most `max` points of a long curve, for drawing: evenly spaced, keeping the first and the
 * last, so the line still starts and ends where the run did. A chart of 100,000 steps redrawn on
 * every batch would stall the page; a few hundred points look the same at a card's width.
 */
export function downsample<T>(points: readonly T[], max: number): readonly T[] {
  if (points.length <= max) return points;
  if (max < 2) return points.slice(-1);
  const kept: T[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i += 1) kept.push(points[Math.round(i * stride)]!);
  return kept;
}
