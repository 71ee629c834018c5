import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../tests/free-port.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import type { Alert } from '../../shared/domain/alerts.js';
import { EMPTY_METAGRAPH_VIEW, type MetagraphView, type StandingAlert } from '../../shared/domain/metagraph.js';
import type { MinerStatus } from '../../shared/domain/miner.js';
import type { ModelRegistryView } from '../../shared/domain/model-registry.js';
import { LogService } from '../log/log-service.js';
import { SettingsService } from '../settings/settings-service.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { publicRun, RunStore } from '../trainer/run-store.js';
import { Feed, minerStatus, registryWithLive, standing, view } from './alert-fixtures.js';
import { AlertService } from './alert-service.js';
import { checkAxon, type AxonCheck, type AxonTarget } from './axon-self-check.js';
import type { DesktopNotification } from './notifier.js';
import { plantedRun } from '../trainer/run-fixtures.js';

const tempDir = useTempDirs();
const log = new LogService({ filePath: null });
const DAY_MS = 86_400_000;
const closing: (() => void)[] = [];
afterEach(() => {
  for (const close of closing.splice(0).reverse()) close();
});

interface Options {
  now?: () => Date;
  checkAxon?: (target: AxonTarget | null) => Promise<AxonCheck>;
  resumeMiner?: boolean;
  heartbeatEveryMs?: number;
}

/** A console's alerts over a data folder: real SQLite and settings, the services' streams as feeds. */
async function openAlerts(dir: string, options: Options = {}) {
  const db = openDatabase(join(dir, 'console.db'), MIGRATIONS);
  const settings = await SettingsService.open(dir, log.forSource('settings'));
  const runs = new RunStore(db);
  const miner = new Feed<MinerStatus>(minerStatus('stopped'));
  const metagraph = new Feed<MetagraphView>(EMPTY_METAGRAPH_VIEW);
  const registry = new Feed<ModelRegistryView>(registryWithLive(null));
  const shown: DesktopNotification[] = [];
  const checks: (AxonTarget | null)[] = [];
  const service = new AlertService({
    db,
    log: log.forSource('alerts'),
    now: options.now,
    resumeMiner: options.resumeMiner,
    heartbeatEveryMs: options.heartbeatEveryMs,
    notifier: { show: (notification) => shown.push(notification) },
    recheckEveryMs: 0,
    checkAxon: (target) => {
      checks.push(target);
      return options.checkAxon?.(target) ?? Promise.resolve({ state: 'reachable', target: target! });
    },
    sources: {
      settings,
      minerStatus: miner.subscribe,
      metagraphView: metagraph.subscribe,
      modelRegistry: registry.subscribe,
      trainingRuns: (emit) => {
        emit(runs.list().map(publicRun));
        return runs.onDidChange(() => emit(runs.list().map(publicRun)));
      },
    },
  });
  /** A clean shutdown; `crash` leaves the service as a killed process would. */
  const close = (crash = false): void => {
    if (!crash) service.dispose();
    db.close();
  };
  return { service, settings, runs, miner, metagraph, registry, shown, checks, close };
}

const kinds = (alerts: Alert[]): string[] => alerts.map((alert) => alert.kind).sort();
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function failRun(runs: RunStore, id: string, state: 'failed' | 'done' | 'cancelled', at: string): void {
  runs.create(plantedRun(id, at));
  runs.update(id, { state, reason: state === 'failed' ? 'CUDA out of memory at epoch 2' : null });
}

describe('the miner alerts', () => {
  it('a failed start fires one critical alert that clears once it serves; a normal start fires nothing', async () => {
    const alerts = await openAlerts(await tempDir());
    closing.push(() => alerts.close());
    alerts.miner.set(minerStatus('starting'));
    alerts.miner.set(minerStatus('serving'));
    expect(alerts.service.active()).toEqual([]);
    alerts.miner.set(minerStatus('error'));
    alerts.miner.set(minerStatus('error', { stats: { ...minerStatus('error').stats, requests: 3 } }));
    const active = alerts.service.active();
    expect(kinds(active)).toEqual(['miner-error', 'miner-stopped']);
    expect(active.find((alert) => alert.kind === 'miner-error')?.message).toContain('no model.onnx');
    alerts.miner.set(minerStatus('serving'));
    expect(alerts.service.active()).toEqual([]);
    const history = (await alerts.service.handlers()['alerts.list']({ limit: 10 })).map((alert) => alert.state);
    expect(history).toEqual(['resolved', 'resolved']);
  });

  it('a stop the operator asked for is no alert; a serving miner that stops by itself is', async () => {
    const alerts = await openAlerts(await tempDir());
    closing.push(() => alerts.close());
    alerts.miner.set(minerStatus('serving'));
    alerts.miner.set(minerStatus('stopping', { stoppedBy: 'operator' }));
    alerts.miner.set(minerStatus('stopped', { stoppedBy: 'operator' }));
    expect(alerts.service.active()).toEqual([]);
    alerts.miner.set(minerStatus('serving'));
    alerts.miner.set(minerStatus('stopped'));
    expect(kinds(alerts.service.active())).toEqual(['miner-stopped']);
    expect(alerts.shown.map((shown) => shown.title)).toEqual(['Miner stopped']);
  });

  it('a console killed while mining says so at the next start, once, and not after a clean close', async () => {
    const dir = await tempDir();
    const first = await openAlerts(dir);
    first.miner.set(minerStatus('serving'));
    await settle(); // the axon check serving starts
    first.close(true);
    const second = await openAlerts(dir);
    expect(kinds(second.service.active())).toEqual(['miner-stopped']);
    second.close();
    // Closed cleanly while the alert held: the next start neither repeats it nor raises it anew.
    const third = await openAlerts(dir);
    closing.push(() => third.close());
    expect(third.service.active()).toEqual([]);
    expect(third.shown).toEqual([]);
  });
});

describe('a miner that was down while the console was gone', () => {
  const MINUTE_MS = 60_000;

  it('is resumed at the next start without a stopped alert, then says how long it was down until acknowledged', async () => {
    const dir = await tempDir();
    let now = new Date(2026, 2, 1, 2, 0);
    const first = await openAlerts(dir, { now: () => now, heartbeatEveryMs: 5 });
    first.miner.set(minerStatus('serving'));
    // Ten minutes of serving, the heartbeat keeping the time; then the rig loses power. Not a wait
    // for I/O: a heartbeat timer due in 5 ms fires (and writes, synchronously) before this 50 ms one.
    now = new Date(now.getTime() + 10 * MINUTE_MS);
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.close(true);

    now = new Date(now.getTime() + 7 * MINUTE_MS);
    const second = await openAlerts(dir, { now: () => now, resumeMiner: true });
    closing.push(() => second.close());
    expect(second.service.resumesMiner).toBe(true);
    // The host is starting it again: not a miner that stopped by itself.
    expect(second.service.active()).toEqual([]);
    second.miner.set(minerStatus('starting'));
    second.miner.set(minerStatus('serving'));
    const [downtime] = second.service.active();
    expect(downtime).toMatchObject({ kind: 'miner-downtime', severity: 'warning' });
    expect(downtime!.message).toMatch(/^The miner was down for 7 min \(from 02:10 to 02:17\) and resumed by itself/);
    expect(second.shown.map((shown) => shown.title)).toEqual(['Miner was down']);

    // The downtime is over, but the alert stays until the operator has seen it.
    second.miner.set(minerStatus('serving', { stats: { ...minerStatus('serving').stats, requests: 5 } }));
    expect(second.service.active()).toEqual([downtime]);
    const acknowledged = await second.service.handlers()['alerts.acknowledge']({ id: downtime!.id });
    expect(acknowledged).toMatchObject({ state: 'resolved', acknowledgedAt: now.toISOString() });
    expect(second.service.active()).toEqual([]);
  });

  it('a resume that fails is the stopped alert it always was', async () => {
    const dir = await tempDir();
    const first = await openAlerts(dir);
    first.miner.set(minerStatus('serving'));
    await settle();
    first.close(true);
    const second = await openAlerts(dir, { resumeMiner: true });
    closing.push(() => second.close());
    second.miner.set(minerStatus('starting'));
    second.miner.set(minerStatus('error'));
    expect(kinds(second.service.active())).toEqual(['miner-error', 'miner-stopped']);
  });

  it('a clean shutdown while serving is resumed with no downtime alert; an operator stop is not resumed', async () => {
    const dir = await tempDir();
    const first = await openAlerts(dir);
    first.miner.set(minerStatus('serving'));
    await settle();
    first.close();
    const second = await openAlerts(dir, { resumeMiner: true });
    expect(second.service.resumesMiner).toBe(true);
    second.miner.set(minerStatus('serving'));
    expect(second.service.active()).toEqual([]);
    second.miner.set(minerStatus('stopped', { stoppedBy: 'operator' }));
    second.close(true);
    const third = await openAlerts(dir, { resumeMiner: true });
    closing.push(() => third.close());
    expect(third.service.resumesMiner).toBe(false);
    expect(third.service.active()).toEqual([]);
  });

  it("a miner stopped by the host's shutdown is no alert, and serves again at the next start without a downtime alert", async () => {
    const dir = await tempDir();
    const first = await openAlerts(dir);
    first.miner.set(minerStatus('serving'));
    await settle();
    first.miner.set(minerStatus('stopping', { stoppedBy: 'shutdown' }));
    first.miner.set(minerStatus('stopped', { stoppedBy: 'shutdown' }));
    expect(first.service.active()).toEqual([]);
    // Its status says so: the alerts need not have closed first.
    first.close(true);
    const second = await openAlerts(dir, { resumeMiner: true });
    closing.push(() => second.close());
    expect(second.service.resumesMiner).toBe(true);
    second.miner.set(minerStatus('starting'));
    second.miner.set(minerStatus('serving'));
    expect(second.service.active()).toEqual([]);
    expect(second.shown).toEqual([]);
  });

  it('is not resumed on another network than the settings name now, nor with resume on start switched off', async () => {
    const dir = await tempDir();
    const first = await openAlerts(dir);
    first.miner.set(minerStatus('serving', { network: 'test', netuid: 323 }));
    await settle();
    first.close();
    const local = await openAlerts(dir, { resumeMiner: true });
    expect(local.service.resumesMiner).toBe(false);
    await local.settings.update({ chain: { network: 'test', netuid: 323 }, mining: { resumeOnStart: false } });
    local.close();
    const off = await openAlerts(dir, { resumeMiner: true });
    expect(off.service.resumesMiner).toBe(false);
    await off.settings.update({ mining: { resumeOnStart: true } });
    off.close();
    const on = await openAlerts(dir, { resumeMiner: true });
    closing.push(() => on.close());
    expect(on.service.resumesMiner).toBe(true);
  });
});

describe('the standing alerts', () => {
  const drop: StandingAlert = {
    kind: 'rank-drop',
    message: 'Rank fell from 4 to 12 of 40 miners.',
    time: 't',
    block: 1,
  };

  it('a rank drop the metagraph reports holds until the rank is back where it fell from', async () => {
    const alerts = await openAlerts(await tempDir());
    closing.push(() => alerts.close());
    alerts.metagraph.set(view(standing({ rank: 4 })));
    alerts.metagraph.set(view(standing({ rank: 12 }), { alerts: [drop] }));
    alerts.metagraph.set(view(standing({ rank: 9 }), { alerts: [drop] }));
    const active = alerts.service.active();
    expect(kinds(active)).toEqual(['rank-drop']);
    expect(active[0]!.message).toBe(drop.message);
    alerts.metagraph.set(view(standing({ rank: 4 }), { alerts: [drop] }));
    expect(alerts.service.active()).toEqual([]);
  });

  it('a rank that moves without the metagraph calling it a drop, a safe uid and a right advert raise nothing', async () => {
    const alerts = await openAlerts(await tempDir());
    closing.push(() => alerts.close());
    alerts.miner.set(minerStatus('serving', { network: 'finney' }));
    await alerts.settings.update({ axon: { externalIp: '203.0.113.7' } });
    const axon = { ip: '203.0.113.7', port: 8091 };
    alerts.metagraph.set(view(standing({ rank: 4 }), { source: 'chain', axon }));
    alerts.metagraph.set(view(standing({ rank: 7 }), { source: 'chain', axon }));
    expect(alerts.service.active()).toEqual([]);
  });

  it('deregistration risk holds while the uid is among the next to be pruned', async () => {
    const alerts = await openAlerts(await tempDir());
    closing.push(() => alerts.close());
    alerts.metagraph.set(view(standing({ deregistration: 'at-risk', prunedBeforeUs: 1 })));
    alerts.metagraph.set(view(standing({ deregistration: 'at-risk', prunedBeforeUs: 0 })));
    const active = alerts.service.active();
    expect(kinds(active)).toEqual(['deregistration-risk']);
    expect(active[0]!.severity).toBe('critical');
    // Immunity over in the bottom decile is the same risk, the same alert.
    alerts.metagraph.set(view(standing({ percentile: 5 })));
    expect(alerts.service.active().map((alert) => alert.id)).toEqual([active[0]!.id]);
    alerts.metagraph.set(view(standing({ percentile: 50 })));
    expect(alerts.service.active()).toEqual([]);
  });

  it('an axon the chain advertises elsewhere than the public IP in Settings holds until the advert is right', async () => {
    const alerts = await openAlerts(await tempDir());
    closing.push(() => alerts.close());
    await alerts.settings.update({ axon: { externalIp: '203.0.113.7' } });
    alerts.miner.set(minerStatus('serving', { network: 'finney' }));
    alerts.metagraph.set(view(standing(), { source: 'chain', axon: { ip: '198.51.100.1', port: 8091 } }));
    expect(alerts.service.active().map((alert) => alert.message)).toEqual([
      'The chain advertises 198.51.100.1:8091 for uid 3, but it serves at 203.0.113.7:8091: validators cannot reach it.',
    ]);
    alerts.metagraph.set(view(standing(), { source: 'chain', axon: { ip: '203.0.113.7', port: 8091 } }));
    expect(alerts.service.active()).toEqual([]);
  });
});

describe('the model age alerts', () => {
  it('fire for the live model at day 60, 75 and 90 of its publication, each step once', async () => {
    let now = new Date('2026-06-01T12:00:00Z');
    const alerts = await openAlerts(await tempDir(), { now: () => now });
    closing.push(() => alerts.close());
    const published = new Date(now.getTime() - 59 * DAY_MS).toISOString();
    alerts.registry.set(registryWithLive(published));
    expect(alerts.service.active()).toEqual([]);
    now = new Date(now.getTime() + 2 * DAY_MS);
    await alerts.service.refresh();
    await alerts.service.refresh();
    const day60 = alerts.service.active();
    expect(day60.map((alert) => [alert.kind, alert.severity])).toEqual([['model-age', 'warning']]);
    expect(day60[0]!.message).toContain('published 61 days ago');
    now = new Date(now.getTime() + 15 * DAY_MS);
    await alerts.service.refresh();
    expect(alerts.service.active().map((alert) => alert.message)).toEqual([
      expect.stringContaining('published 76 days ago'),
    ]);
    now = new Date(now.getTime() + 15 * DAY_MS);
    await alerts.service.refresh();
    expect(alerts.service.active().map((alert) => alert.severity)).toEqual(['critical']);
    // A new, unpublished model goes live: no age to warn about.
    alerts.registry.set(registryWithLive(null, 'trained-1.1.0'));
    expect(alerts.service.active()).toEqual([]);
    expect((await alerts.service.handlers()['alerts.list']({ limit: 10 })).length).toBe(3);
  });
});

describe('the training alerts', () => {
  it('a failed run fires once; a later run that succeeds clears it; a cancelled one changes nothing', async () => {
    const alerts = await openAlerts(await tempDir());
    closing.push(() => alerts.close());
    failRun(alerts.runs, 'r1', 'done', '2026-03-01T00:00:00.000Z');
    expect(alerts.service.active()).toEqual([]);
    failRun(alerts.runs, 'r2', 'failed', '2026-03-02T00:00:00.000Z');
    const active = alerts.service.active();
    expect(active.map((alert) => alert.message)).toEqual([
      'Training run r2 on me@box:22 failed: CUDA out of memory at epoch 2',
    ]);
    failRun(alerts.runs, 'r3', 'cancelled', '2026-03-03T00:00:00.000Z');
    expect(alerts.service.active()).toEqual(active);
    failRun(alerts.runs, 'r4', 'done', '2026-03-04T00:00:00.000Z');
    expect(alerts.service.active()).toEqual([]);
  });

  it('switched off in Settings, an active one resolves and no new one fires', async () => {
    const alerts = await openAlerts(await tempDir());
    closing.push(() => alerts.close());
    failRun(alerts.runs, 'r1', 'failed', '2026-03-01T00:00:00.000Z');
    expect(alerts.service.active().length).toBe(1);
    await alerts.settings.update({ alerts: { trainingFailed: false } });
    expect(alerts.service.active()).toEqual([]);
    failRun(alerts.runs, 'r2', 'failed', '2026-03-02T00:00:00.000Z');
    expect(alerts.service.active()).toEqual([]);
  });
});

describe('alerts across a restart', () => {
  it('an alert that still holds is neither lost nor repeated; its acknowledgement survives; one that ended resolves', async () => {
    const dir = await tempDir();
    const first = await openAlerts(dir);
    failRun(first.runs, 'r1', 'failed', '2026-03-01T00:00:00.000Z');
    const [alert] = first.service.active();
    const acknowledged = await first.service.handlers()['alerts.acknowledge']({ id: alert!.id });
    expect(acknowledged?.acknowledgedAt).not.toBeNull();
    expect(first.shown.length).toBe(1);
    first.close();

    const second = await openAlerts(dir);
    expect(second.service.active()).toEqual([acknowledged]);
    expect(second.shown).toEqual([]);
    failRun(second.runs, 'r2', 'done', '2026-03-02T00:00:00.000Z');
    second.close();

    const third = await openAlerts(dir);
    closing.push(() => third.close());
    expect(third.service.active()).toEqual([]);
    expect(await third.service.handlers()['alerts.list']({ limit: 10 })).toEqual([
      expect.objectContaining({ id: alert!.id, state: 'resolved', acknowledgedAt: acknowledged!.acknowledgedAt }),
    ]);
    expect(await third.service.handlers()['alerts.acknowledge']({ id: '999' })).toBeNull();
  });

  it('the active stream sends the list now and after each change, acknowledgements included', async () => {
    const alerts = await openAlerts(await tempDir());
    closing.push(() => alerts.close());
    const events: Alert[][] = [];
    const subscription = alerts.service.streams()['alerts.active']({}, (event) => events.push(event));
    failRun(alerts.runs, 'r1', 'failed', '2026-03-01T00:00:00.000Z');
    await alerts.service.handlers()['alerts.acknowledge']({ id: alerts.service.active()[0]!.id });
    subscription.dispose();
    expect(events.map((event) => event.map((alert) => alert.acknowledgedAt !== null))).toEqual([[], [false], [true]]);
  });
});

describe('the axon self-check', () => {
  const listeners: Server[] = [];
  afterEach(() => {
    for (const server of listeners.splice(0)) server.close();
  });

  it('reaches a real listener at the advertised address: no alert', async () => {
    const server = createServer((socket) => socket.end());
    listeners.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const alerts = await openAlerts(await tempDir(), { checkAxon: (target) => checkAxon(target) });
    closing.push(() => alerts.close());
    alerts.metagraph.set(view(standing(), { axon: { ip: '127.0.0.1', port } }));
    alerts.miner.set(minerStatus('serving', { axonPort: port }));
    await alerts.service.refresh();
    expect(alerts.checks).toEqual([
      { ip: '127.0.0.1', port, from: 'chain' },
      { ip: '127.0.0.1', port, from: 'chain' },
    ]);
    expect(alerts.service.active()).toEqual([]);
  });

  it('a closed port is unreachable (critical, notified) until the miner stops', async () => {
    const port = await freePort();
    const alerts = await openAlerts(await tempDir(), { checkAxon: (target) => checkAxon(target) });
    closing.push(() => alerts.close());
    alerts.metagraph.set(view(standing(), { axon: { ip: '127.0.0.1', port } }));
    alerts.miner.set(minerStatus('serving', { axonPort: port }));
    await alerts.service.refresh();
    const active = alerts.service.active();
    expect(active.map((alert) => [alert.kind, alert.severity])).toEqual([['axon-unreachable', 'critical']]);
    expect(active[0]!.message).toContain(`127.0.0.1:${port}`);
    expect(active[0]!.message).toContain('ECONNREFUSED');
    expect(alerts.shown.map((shown) => shown.severity)).toEqual(['critical']);
    alerts.miner.set(minerStatus('stopped', { stoppedBy: 'operator' }));
    await settle();
    expect(alerts.service.active()).toEqual([]);
  });

  it('says plainly that it cannot check when no public IP is known, without a notification', async () => {
    const alerts = await openAlerts(await tempDir(), { checkAxon: (target) => checkAxon(target) });
    closing.push(() => alerts.close());
    alerts.metagraph.set(view(standing(), { source: 'chain', axon: null }));
    alerts.miner.set(minerStatus('serving', { network: 'finney' }));
    await alerts.service.refresh();
    const active = alerts.service.active();
    expect(active.map((alert) => [alert.kind, alert.severity])).toEqual([['axon-unchecked', 'info']]);
    expect(active[0]!.message).toMatch(/No public IP is known .* cannot be checked/);
    expect(alerts.shown).toEqual([]);
  });
});
