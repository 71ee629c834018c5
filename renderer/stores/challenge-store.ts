import { create } from 'zustand';
import type { ChallengeRecord } from '../../shared/domain/challenge.js';

/** The Challenges page is virtual: it scrolls through all of these at the cost of the rows on screen. */
export const CHALLENGES_KEPT = 5000;

interface ChallengeStore {
  records: ChallengeRecord[];
}

export const useChallengeStore = create<ChallengeStore>(() => ({ records: [] }));

/** Adds a batch, skipping records already held (a reconnect replays the backlog). */
export function appendChallenges(current: ChallengeRecord[], incoming: ChallengeRecord[]): ChallengeRecord[] {
  const lastId = current.at(-1)?.id ?? 0;
  const next = current.concat(incoming.filter((record) => record.id > lastId));
  return next.length > CHALLENGES_KEPT ? next.slice(next.length - CHALLENGES_KEPT) : next;
}
