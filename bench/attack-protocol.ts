/** What the attack benchmark (axon-attack.bench.ts) and its load processes (attack-load.ts) exchange. */

export type Role = 'valid' | 'gate-leak' | 'junk-slow-body' | 'bomb' | 'forged-flood';

export interface ValidResult {
  /** Each valid request: milliseconds to its answer, and the status (0: no answer). */
  requests: { ms: number; status: number }[];
}

export interface AttackResult {
  sent: number;
  /** Answers by status; 0 counts requests that got none (the connection closed or failed). */
  byStatus: Record<string, number>;
}

/** What a validator's dendrite waits (STREETVISION.md): an answer later than this scores nothing. */
export const VALID_TIMEOUT_S = 9;
