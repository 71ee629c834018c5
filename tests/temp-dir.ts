import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/**
 * How long what a test helper makes lives: `'test'`, until the test that made it ends; `'suite'`,
 * until every test of the describe block (or file) that called the helper has run, for a table
 * of cases that act on the same state in turn.
 */
export type Lifetime = 'test' | 'suite';

/** The hook that ends what was made with `lifetime`. */
export function afterLifetime(lifetime: Lifetime): typeof afterEach {
  return lifetime === 'test' ? afterEach : afterAll;
}

/** A fresh folder per call, removed at the end of its lifetime (after the test, by default). */
export function useTempDirs(lifetime: Lifetime = 'test'): () => Promise<string> {
  const made: string[] = [];
  afterLifetime(lifetime)(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sv-test-'));
    made.push(dir);
    return dir;
  };
}
