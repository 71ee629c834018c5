import { create } from 'zustand';
import type { ChallengeRecord } from '../../shared/domain/challenge.js';

export const CHALLENGES_KEPT = 1000;

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
