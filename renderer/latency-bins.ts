import type { ChallengeRecord } from '../shared/domain/challenge.js';

/** Upper edges of the bins, in ms: what matters is the tail against the validators' 9 s. */
const EDGES = [5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 9000];

export function latencyBins(records: readonly ChallengeRecord[]): { bin: string; count: number }[] {
  const counts = new Array<number>(EDGES.length + 1).fill(0);
  for (const record of records) {
    if (record.status !== 200) continue;
    const index = EDGES.findIndex((edge) => record.latencyMs <= edge);
    counts[index === -1 ? EDGES.length : index]! += 1;
  }
  return counts.map((count, i) => ({ bin: i < EDGES.length ? `≤${EDGES[i]!}` : '>9000', count }));
}
