import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useProgramRuns } from '../../tests/program-run.js';
import { Emitter } from './emitter.js';
import { describeUnexpected, reportUnexpected, setUnexpectedErrorSink } from './unexpected-errors.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'unexpected-errors.ts');

const fixture = useProgramRuns(FIXTURE);

async function runFixture(mode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = fixture([mode]);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

const sinks: { dispose(): void }[] = [];
afterEach(() => {
  for (const sink of sinks.splice(0)) sink.dispose();
});

function captureUnexpected(): { where: string; error: unknown }[] {
  const seen: { where: string; error: unknown }[] = [];
  sinks.push(setUnexpectedErrorSink((where, error) => seen.push({ where, error })));
  return seen;
}

describe('errors nobody foresaw', () => {
  it('a throwing listener is reported, and the event still reaches the listeners after it', () => {
    const seen = captureUnexpected();
    const event = new Emitter<string>();
    const heard: string[] = [];
    event.event((value) => heard.push(`first ${value}`));
    event.event(() => {
      throw new Error('the renderer went away');
    });
    event.event((value) => heard.push(`last ${value}`));
    // Reported as the event fires, before `fire` returns: nothing to wait for.
    event.fire('x');
    expect(heard).toEqual(['first x', 'last x']);
    expect(seen.map(({ where, error }) => describeUnexpected(where, error))).toEqual([
      expect.stringMatching(/^Unexpected error in a listener of an event: the renderer went away \(at .+\)$/),
    ]);
  });

  it('a throwing listener does not end the process it runs in', async () => {
    const run = await runFixture('listener');
    expect(run.stdout).toContain('alive, the other listener heard 1');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('the listener broke');
  });

  it("the host's process guard logs an uncaught exception and an unhandled rejection, and the process goes on", async () => {
    const run = await runFixture('guarded');
    expect(run.stdout).toContain('alive');
    expect(run.stderr).toContain('a timer broke');
    expect(run.stderr).toContain('nobody awaited this');
  });

  it('a sink that throws, or reports again from inside itself, falls back to the terminal instead of looping', () => {
    let calls = 0;
    sinks.push(
      setUnexpectedErrorSink((where, error) => {
        calls++;
        reportUnexpected('the sink itself', error);
        throw new Error('the log is closed');
      }),
    );
    const original = console.error;
    const printed: unknown[][] = [];
    console.error = (...args: unknown[]) => void printed.push(args);
    try {
      reportUnexpected('a test', new Error('first'));
    } finally {
      console.error = original;
    }
    expect(calls).toBe(1);
    expect(printed.map((args) => String(args[0]))).toEqual([
      'Unexpected error in the sink itself:',
      'Unexpected error in a test:',
      'Unexpected error in the unexpected-error sink:',
    ]);
  });
});
