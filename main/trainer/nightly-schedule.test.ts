/**
 * The nightly schedule with a hand-moved clock (no real waiting), the real settings service and
 * the real state file in a temp folder. Local time is Europe/Berlin, set for this test process
 * before any date is made (Node re-reads TZ when it is assigned), so daylight-saving nights are
 * the real ones: 2025-03-30 02:00 → 03:00 and 2025-10-26 03:00 → 02:00.
 */
process.env.TZ = 'Europe/Berlin';

import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { LogService } from '../log/log-service.js';
import { SettingsService } from '../settings/settings-service.js';
import { NightlyScheduler, type SchedulerClock } from './nightly-schedule.js';
import { NIGHTLY_STATE_FILE, NightlyStateFile } from './nightly-state.js';
import { isInWindow, nextWindowStart, windowAt, windowEnd } from './nightly-window.js';

const tempDir = useTempDirs();

/** Local wall-clock time in Berlin. */
const local = (year: number, month: number, day: number, hour: number, minute = 0) =>
  new Date(year, month - 1, day, hour, minute);

const NIGHT = { start: '23:00', end: '01:00' };

describe('the nightly window (local time)', () => {
  it('runs in Berlin time in this test', () => {
    expect(local(2025, 1, 15, 12).toISOString()).toBe('2025-01-15T11:00:00.000Z');
    expect(local(2025, 7, 15, 12).toISOString()).toBe('2025-07-15T10:00:00.000Z');
  });

  it('a window crossing midnight holds the late evening and the small hours, end excluded', () => {
    expect(isInWindow(NIGHT, local(2025, 6, 10, 22, 59))).toBe(false);
    expect(isInWindow(NIGHT, local(2025, 6, 10, 23, 0))).toBe(true);
    expect(isInWindow(NIGHT, local(2025, 6, 11, 0, 30))).toBe(true);
    expect(isInWindow(NIGHT, local(2025, 6, 11, 1, 0))).toBe(false);
    // The small hours belong to the window that started the evening before.
    expect(windowAt(NIGHT, local(2025, 6, 11, 0, 30))).toEqual({
      key: '2025-06-10',
      start: local(2025, 6, 10, 23),
      end: local(2025, 6, 11, 1),
    });
    expect(windowEnd(NIGHT, local(2025, 6, 10, 23))).toEqual(local(2025, 6, 11, 1));
  });

  it('a daytime window ends the same day; the next start is later today or tomorrow', () => {
    const day = { start: '09:00', end: '17:30' };
    expect(isInWindow(day, local(2025, 6, 10, 12))).toBe(true);
    expect(isInWindow(day, local(2025, 6, 10, 18))).toBe(false);
    expect(windowEnd(day, local(2025, 6, 10, 9))).toEqual(local(2025, 6, 10, 17, 30));
    expect(nextWindowStart(NIGHT, local(2025, 6, 10, 12))).toEqual(local(2025, 6, 10, 23));
    expect(nextWindowStart(NIGHT, local(2025, 6, 10, 23, 30))).toEqual(local(2025, 6, 11, 23));
  });

  it('start == end is an empty window: never inside, never next', () => {
    const empty = { start: '23:00', end: '23:00' };
    expect(isInWindow(empty, local(2025, 6, 10, 23))).toBe(false);
    expect(nextWindowStart(empty, local(2025, 6, 10, 12))).toBeNull();
  });

  it('keeps local clock times across daylight-saving changes (hours are not 24 × 60 minutes)', () => {
    // 23:00 is 22:00 UTC in winter time and 21:00 UTC in summer time, either side of 30 March.
    expect(nextWindowStart(NIGHT, local(2025, 3, 29, 12))!.toISOString()).toBe('2025-03-29T22:00:00.000Z');
    expect(nextWindowStart(NIGHT, local(2025, 3, 30, 12))!.toISOString()).toBe('2025-03-30T21:00:00.000Z');
    // 01:00–04:00 on the spring-forward night lasts two hours, on the autumn night four.
    const early = { start: '01:00', end: '04:00' };
    const spring = windowAt(early, local(2025, 3, 30, 1, 30))!;
    expect(spring.end.getTime() - spring.start.getTime()).toBe(2 * 3600_000);
    const autumn = windowAt(early, local(2025, 10, 26, 1, 30))!;
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(4 * 3600_000);
    // The hour that happens twice in autumn is inside the window both times.
    expect(isInWindow(early, new Date('2025-10-26T00:30:00Z'))).toBe(true); // 02:30 summer time
    expect(isInWindow(early, new Date('2025-10-26T01:30:00Z'))).toBe(true); // 02:30 winter time
  });
});

/** Timers that fire only when the test moves time. */
class FakeClock implements SchedulerClock {
  private timers: { at: number; fire: () => void }[] = [];

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer = { at: this.time + ms, fire };
    this.timers.push(timer);
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }

  /** Moves to `to`, firing each timer due on the way and letting the scheduler finish each decision. */
  async advanceTo(to: Date, scheduler: NightlyScheduler): Promise<void> {
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= to.getTime()).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = Math.max(this.time, due.at);
      due.fire();
      await scheduler.whenIdle();
    }
    this.time = to.getTime();
  }
}

/** The jobs side: labels counted since the last run, runs started and stopped. */
class Jobs {
  newLabels = 0;
  asked = 0;
  started: { id: string; at: Date }[] = [];
  stopped: { id: string; at: Date }[] = [];
  failStarts = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly minNewLabels = 200,
  ) {}

  shouldStart = () => {
    this.asked++;
    const start = this.newLabels >= this.minNewLabels;
    return Promise.resolve({
      start,
      reason: `${this.newLabels} new labels since the last run; ${this.minNewLabels} wanted`,
    });
  };

  startRun = () => {
    if (this.failStarts > 0) {
      this.failStarts--;
      return Promise.reject(new Error('ssh: connect to host gpu port 22: Connection refused'));
    }
    const id = `run-${this.started.length + 1}`;
    this.started.push({ id, at: new Date(this.clock.now()) });
    this.newLabels = 0;
    return Promise.resolve(id);
  };

  stopRun = (id: string) => {
    this.stopped.push({ id, at: new Date(this.clock.now()) });
    return Promise.resolve();
  };
}

const schedulers: NightlyScheduler[] = [];
afterEach(() => {
  for (const scheduler of schedulers.splice(0)) scheduler.dispose();
});

async function setUp(at: Date, schedule: { enabled?: boolean; start?: string; end?: string } = {}) {
  const dataDir = await tempDir();
  const logs = new LogService({ filePath: null });
  const settings = await SettingsService.open(dataDir, logs.forSource('settings'));
  await settings.update({ schedule: { enabled: true, ...NIGHT, minNewLabels: 200, ...schedule } });
  const clock = new FakeClock(at.getTime());
  const jobs = new Jobs(clock);
  /** A scheduler as the console makes one when it opens (again) on this data folder. */
  const open = async (): Promise<NightlyScheduler> => {
    const scheduler = new NightlyScheduler({
      settings,
      state: NightlyStateFile.inDataDir(dataDir),
      log: logs.forSource('schedule'),
      shouldStart: jobs.shouldStart,
      startRun: jobs.startRun,
      stopRun: jobs.stopRun,
      clock,
    });
    schedulers.push(scheduler);
    await scheduler.start();
    return scheduler;
  };
  return { dataDir, logs, settings, clock, jobs, open };
}

describe('NightlyScheduler', () => {
  it('out of the window it asks nothing; at the start, with enough labels, it starts one run and stops it at the end', async () => {
    const { clock, jobs, open } = await setUp(local(2025, 6, 10, 12));
    jobs.newLabels = 250;
    const scheduler = await open();
    await clock.advanceTo(local(2025, 6, 10, 22, 59), scheduler);
    expect(jobs.asked).toBe(0);
    expect(scheduler.status()).toMatchObject({ window: { open: false, start: local(2025, 6, 10, 23).toISOString() } });

    await clock.advanceTo(local(2025, 6, 11, 0, 59), scheduler);
    expect(jobs.started).toEqual([{ id: 'run-1', at: local(2025, 6, 10, 23) }]);
    expect(scheduler.status()).toMatchObject({ activeRunId: 'run-1', startedThisWindow: true });
    expect(jobs.stopped).toEqual([]);

    await clock.advanceTo(local(2025, 6, 11, 1, 30), scheduler);
    expect(jobs.stopped).toEqual([{ id: 'run-1', at: local(2025, 6, 11, 1) }]);
    expect(scheduler.status().activeRunId).toBeNull();
    expect(jobs.started).toHaveLength(1);
  });

  it('with too few new labels it starts nothing, says why, and asks again as labels come in', async () => {
    const { clock, jobs, open } = await setUp(local(2025, 6, 10, 22, 30));
    jobs.newLabels = 120;
    const scheduler = await open();
    await clock.advanceTo(local(2025, 6, 10, 23, 5), scheduler);
    expect(jobs.started).toEqual([]);
    expect(scheduler.status().lastDecision).toMatchObject({
      start: false,
      reason: '120 new labels since the last run; 200 wanted',
    });

    jobs.newLabels = 210; // the operator labels through the evening
    await clock.advanceTo(local(2025, 6, 10, 23, 30), scheduler);
    // Asked at 23:00 (too few), then every 10 minutes: the look at 23:10 finds enough.
    expect(jobs.started).toEqual([{ id: 'run-1', at: local(2025, 6, 10, 23, 10) }]);

    // A night without enough labels: asked during its window only, nothing started or stopped.
    jobs.newLabels = 10;
    await clock.advanceTo(local(2025, 6, 12, 12), scheduler);
    expect(jobs.started).toHaveLength(1);
    expect(jobs.stopped).toEqual([{ id: 'run-1', at: local(2025, 6, 11, 1) }]);
  });

  it('restarted inside a window that already had its run, it starts none and still stops the run at the end', async () => {
    const { clock, jobs, open } = await setUp(local(2025, 6, 10, 22, 50));
    jobs.newLabels = 300;
    const before = await open();
    await clock.advanceTo(local(2025, 6, 10, 23, 10), before);
    expect(jobs.started.map((run) => run.id)).toEqual(['run-1']);
    before.dispose(); // the console closes

    jobs.newLabels = 500; // even with plenty of labels: one run per window
    const asked = jobs.asked;
    await clock.advanceTo(local(2025, 6, 10, 23, 30), before);
    const after = await open();
    expect(after.status()).toMatchObject({ startedThisWindow: true, activeRunId: 'run-1' });
    await clock.advanceTo(local(2025, 6, 11, 2), after);
    expect(jobs.asked).toBe(asked);
    expect(jobs.started).toHaveLength(1);
    expect(jobs.stopped).toEqual([{ id: 'run-1', at: local(2025, 6, 11, 1) }]);

    // The next night is a new window.
    await clock.advanceTo(local(2025, 6, 11, 23, 1), after);
    expect(jobs.started.map((run) => run.id)).toEqual(['run-1', 'run-2']);
  });

  it('a console that was closed past the end of the window stops its run as soon as it opens', async () => {
    const { clock, jobs, open } = await setUp(local(2025, 6, 10, 23));
    jobs.newLabels = 300;
    const before = await open();
    before.dispose();
    expect(jobs.started).toHaveLength(1);
    await clock.advanceTo(local(2025, 6, 11, 7, 45), before);
    await open();
    expect(jobs.stopped).toEqual([{ id: 'run-1', at: local(2025, 6, 11, 7, 45) }]);
  });

  it('follows settings changes: turning it on inside the window starts; an earlier end stops sooner', async () => {
    const { clock, jobs, open, settings } = await setUp(local(2025, 6, 10, 23, 15), { enabled: false });
    jobs.newLabels = 300;
    const scheduler = await open();
    expect(jobs.asked).toBe(0);

    await settings.update({ schedule: { enabled: true } });
    await scheduler.whenIdle();
    expect(jobs.started).toEqual([{ id: 'run-1', at: local(2025, 6, 10, 23, 15) }]);

    await clock.advanceTo(local(2025, 6, 10, 23, 20), scheduler);
    await settings.update({ schedule: { end: '00:00' } });
    await clock.advanceTo(local(2025, 6, 11, 2), scheduler);
    expect(jobs.stopped).toEqual([{ id: 'run-1', at: local(2025, 6, 11, 0) }]);
  });

  it('turned off during the run, it starts no more but still stops that run at its window end', async () => {
    const { clock, jobs, open, settings } = await setUp(local(2025, 6, 10, 23));
    jobs.newLabels = 300;
    const scheduler = await open();
    await settings.update({ schedule: { enabled: false } });
    jobs.newLabels = 900;
    await clock.advanceTo(local(2025, 6, 12, 12), scheduler);
    expect(jobs.started).toHaveLength(1);
    expect(jobs.stopped).toEqual([{ id: 'run-1', at: local(2025, 6, 11, 1) }]);
  });

  it('a start that fails is retried in the same window, and counts only once it succeeds', async () => {
    const { clock, jobs, open, logs } = await setUp(local(2025, 6, 10, 23));
    jobs.newLabels = 300;
    jobs.failStarts = 1;
    const scheduler = await open();
    expect(jobs.started).toEqual([]);
    expect(scheduler.status().lastDecision?.reason).toMatch(/could not be started: ssh: connect .* refused/);
    await clock.advanceTo(local(2025, 6, 10, 23, 30), scheduler);
    expect(jobs.started).toEqual([{ id: 'run-1', at: local(2025, 6, 10, 23, 10) }]);
    expect(logs.recent(50).some((entry) => entry.message.includes('started run run-1'))).toBe(true);
  });

  it('a corrupt state file is kept aside and named; the scheduler goes on', async () => {
    const { dataDir, clock, jobs, open, logs } = await setUp(local(2025, 6, 10, 22));
    await writeFile(join(dataDir, NIGHTLY_STATE_FILE), '{"lastWindow": "2025-06-');
    jobs.newLabels = 300;
    const scheduler = await open();
    const aside = (await readdir(dataDir)).find((name) => name.startsWith(`${NIGHTLY_STATE_FILE}.unreadable-`));
    expect(aside).toBeDefined();
    expect(logs.recent(20).some((entry) => entry.level === 'error' && entry.message.includes(aside!))).toBe(true);
    await clock.advanceTo(local(2025, 6, 10, 23, 5), scheduler);
    expect(jobs.started).toHaveLength(1);
  });

  it('starts in the window on a daylight-saving night at the local clock time', async () => {
    const { clock, jobs, open } = await setUp(local(2025, 3, 29, 12), { start: '01:00', end: '04:00' });
    jobs.newLabels = 300;
    const scheduler = await open();
    await clock.advanceTo(local(2025, 3, 30, 5), scheduler);
    expect(jobs.started.map((run) => run.at.toISOString())).toEqual(['2025-03-30T00:00:00.000Z']); // 01:00 CET
    expect(jobs.stopped.map((run) => run.at.toISOString())).toEqual(['2025-03-30T02:00:00.000Z']); // 04:00 CEST
  });
});
