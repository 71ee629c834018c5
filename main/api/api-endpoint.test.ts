import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  commandNames,
  commands,
  type CommandName,
  type CommandRequest,
  type OperatorApi,
} from '../../shared/contract.js';
import { AppInfoSchema } from '../../shared/domain/app-info.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestHosts } from '../../tests/test-host.js';
import { LogService } from '../log/log-service.js';
import { importedSighting } from '../hardcases/hard-case-store.js';
import { renderStreetImage } from '../scenes/generate.js';
import type { Host } from '../host.js';
import { ApiEndpoint } from './api-endpoint.js';
import { copyOfShippedModel } from '../models/model-fixtures.js';

const testHost = useTestHosts();

const UNREACHABLE_TRAINER = {
  id: 'box',
  name: 'nowhere',
  host: '127.0.0.1',
  port: 9,
  user: 'trainer',
  keyFile: null,
  workDir: '~/streetvision',
  python: 'python3',
};

/** The phase of the import in progress; null when there is none. */
async function importPhase(endpoint: ApiEndpoint): Promise<string | null> {
  const status = await endpoint.invoke('models.importStatus', {});
  return (status.ok ? (status.value as { phase: string } | null)?.phase : null) ?? null;
}

describe('every command of the contract', () => {
  // One console that the commands act on in turn, in the contract's order: some set up what the
  // next ones ask about (the settings, a training run, one import at a time).
  // `models.evaluate` judged on a small generated set and a short rehearsal.
  const suiteHost = useTestHosts('suite');
  const suiteDir = useTempDirs('suite');
  let host: Host;
  let requests: { [K in CommandName]: CommandRequest<K> };

  beforeAll(async () => {
    host = await suiteHost({ modelJudging: { fallbackScenes: 40, rehearsal: { validators: 1, peers: 4 } } });
    // One case with an image, for the preview; and a view of the cases, to read a page of.
    const { hash } = await host.hardCases.addImage(
      (await renderStreetImage(5, 'roadwork', 0)).jpeg,
      importedSighting(),
    );
    const queried = await host.endpoint.invoke('hardcases.query', {});
    const { view } = (queried.ok ? queried.value : { view: '' }) as { view: string };
    // A terminal for the terminal commands to act on.
    await host.endpoint.invoke('settings.update', { training: { hosts: [UNREACHABLE_TRAINER] } });
    const opened = await host.endpoint.invoke('terminal.open', { hostId: UNREACHABLE_TRAINER.id, cols: 80, rows: 24 });
    const terminal = (opened.ok ? opened.value : { id: 'term-0' }) as { id: string };
    // A valid request per command; a command added without one fails to compile. The miner is
    // started on the network `finney`, where it refuses at once (and says why) without a port.
    requests = {
      'app.info': {},
      'settings.get': {},
      'settings.update': {
        ui: { theme: 'dark' },
        chain: { network: 'finney' },
        // A serve command that is not installed: `vlm.start` answers, and the server goes to error.
        cascade: { serveCommand: 'vllm-not-installed-here serve x', url: 'http://127.0.0.1:9/v1' },
        // A trainer host nothing listens at: its checks answer that it cannot be reached.
        training: { hosts: [UNREACHABLE_TRAINER] },
        // A Hub nothing listens at: `models.importHf` starts, and the import fails at once.
        publish: { hfEndpoint: 'http://127.0.0.1:9', natixServer: 'http://127.0.0.1:9' },
      },
      'miner.status': {},
      'miner.start': {},
      'challenges.thumbnail': { hash: 'f'.repeat(64) },
      'miner.stop': {},
      'metagraph.history': {},
      'hardcases.query': { filter: { label: 'unlabelled', confidence: { min: 0.5, max: 0.7 } }, sort: 'uniqueness' },
      'hardcases.page': { view, offset: 0 },
      'hardcases.facets': { filter: { source: 'imported' } },
      'hardcases.thumbnails': { hashes: [hash, 'e'.repeat(64)] },
      'hardcases.preview': { hash },
      'hardcases.upload': { batch: 'batch-0001', name: 'drop/roadwork/a.jpg', offset: 0, data: 'AAAA' },
      'hardcases.importUploaded': { batch: 'batch-0001', files: [{ name: 'drop/roadwork/a.jpg', size: 3 }] },
      'hardcases.counts': {},
      'hardcases.label': { hashes: ['a'.repeat(64)], label: 'skip' },
      'hardcases.import': { paths: [join(tmpdir(), 'no-such-image.jpg')] },
      'hardcases.export': { out: await suiteDir() },
      'hardcases.undo': {},
      'hardcases.redo': {},
      'vlm.status': {},
      'vlm.start': {},
      'vlm.stop': {},
      'training.testHost': { hostId: UNREACHABLE_TRAINER.id },
      'training.hostKey': { hostId: UNREACHABLE_TRAINER.id },
      'training.trustHostKey': { hostId: UNREACHABLE_TRAINER.id, fingerprint: 'SHA256:x' },
      'training.forgetHostKey': { hostId: UNREACHABLE_TRAINER.id },
      'training.runs': {},
      'training.start': { maxSteps: 1 },
      'training.cancel': { id: 'set-by-the-test' },
      'training.metrics': { id: 'set-by-the-test' },
      'training.log': { id: 'set-by-the-test' },
      // ssh to a port nothing listens at: the terminal opens, then ends saying so.
      'terminal.open': { hostId: UNREACHABLE_TRAINER.id, cols: 80, rows: 24 },
      'terminal.list': {},
      'terminal.input': { id: terminal.id, data: 'ls\r' },
      'terminal.resize': { id: terminal.id, cols: 100, rows: 30 },
      'terminal.ack': { id: terminal.id, bytes: 10 },
      'terminal.close': { id: terminal.id },
      'models.list': {},
      'models.get': { id: 'default-1.0.0' },
      // The shipped network under another version: imported, judged equal to the live one (so the
      // gate passes), deployed (the miner is not serving: for its next start), and rolled back.
      'models.import': { dir: await copyOfShippedModel(await suiteDir(), '1.0.1') },
      'models.markPublished': { id: 'default-1.0.1', at: '2026-01-01T00:00:00Z' },
      'models.evaluate': { id: 'default-1.0.1', rehearsalChallenges: 5 },
      'models.deploy': { id: 'default-1.0.1', confirm: true },
      'models.rollback': {},
      // Each import starts (answers), then fails: the Hub and the folder are not there.
      'models.importHf': { repo: 'natix-network-org/roadwork', where: 'trainer', hostId: UNREACHABLE_TRAINER.id },
      'models.importFolder': { dir: join(tmpdir(), 'no-such-hf-model'), where: 'local' },
      'models.importStatus': {},
      'models.importCancel': {},
      'alerts.list': {},
      // A fresh console has raised no alert 1 yet: acknowledging it answers null.
      'alerts.acknowledge': { id: '1' },
      'earnings.summary': {},
      'earnings.csv': {},
      'earnings.importPrices': { csv: 'date,price\n2026-01-01,400.5\n' },
      // The Hub and the NATIX server are not there: the token is kept unchecked, the upload starts
      // (and fails in the background), the registration answers that its server did not answer.
      'publish.tokenStatus': {},
      'publish.setToken': { token: 'hf_endpointTestToken123' },
      'publish.modelCard': { modelId: 'default-1.0.0', repo: 'operator/roadwork' },
      'publish.upload': { modelId: 'default-1.0.0', repo: 'operator/roadwork' },
      'publish.register': { modelRepo: 'operator/roadwork', uid: 0 },
      'publish.clearToken': {},
    };
  }, 60_000);

  // A minute each: `models.evaluate` runs a rehearsal, most of 20 s on a loaded 2-core machine.
  it.each(commandNames)('%s answers with a reply that passes its schema', { timeout: 60_000 }, async (name) => {
    // Publishing signs with our hotkey: back on the local subnet, the console's own one serves.
    if (name === 'publish.tokenStatus') await host.endpoint.invoke('settings.update', { chain: { network: 'local' } });
    const result = await host.endpoint.invoke(name, requests[name]);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(commands[name].response.safeParse(result.value).error).toBeUndefined();
    // The run just queued (it fails later, against the unreachable host) is the one the rest ask about.
    if (name === 'training.start') {
      const { id } = result.value as { id: string };
      for (const next of ['training.cancel', 'training.metrics', 'training.log'] as const) requests[next].id = id;
    }
    // One import at a time: the next sample starts once this one has failed.
    if (name === 'models.importHf' || name === 'models.importFolder') {
      await expect
        .poll(() => importPhase(host.endpoint))
        .toSatisfy((phase: string | null) => phase === null || ['done', 'failed', 'cancelled'].includes(phase));
    }
  });
});

describe('ApiEndpoint', () => {
  it('refuses an unknown command by name', async () => {
    const host = await testHost();
    const result = await host.endpoint.invoke('wallet.exportSeed', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'unknown_command', message: 'Unknown command "wallet.exportSeed".' },
    });
  });

  it('refuses an invalid payload before any service sees it, naming the field', async () => {
    const host = await testHost();
    const result = await host.endpoint.invoke('settings.update', { axon: { port: 'eighty' } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_request');
      expect(result.error.message).toMatch(/^settings\.update: axon\.port: /);
    }
    const settings = await host.endpoint.invoke('settings.get', {});
    expect(settings.ok && (settings.value as { axon: { port: number } }).axon.port).toBe(8091);
  });

  it('turns a crashing handler into a clear failure and logs it, instead of killing the host', async () => {
    const log = new LogService({ filePath: null });
    const api = {
      commands: { 'app.info': () => Promise.reject(new Error('disk on fire')) },
      streams: {},
    } as unknown as OperatorApi;
    const result = await new ApiEndpoint(api, log.forSource('api')).invoke('app.info', {});
    expect(result).toEqual({ ok: false, error: { code: 'failed', message: 'app.info: disk on fire' } });
    expect(log.recent(5).some((entry) => entry.level === 'error' && entry.message.includes('disk on fire'))).toBe(true);
  });

  it('never lets a reply outside the contract reach a console', async () => {
    const log = new LogService({ filePath: null });
    const api = {
      commands: { 'app.info': () => Promise.resolve({ name: 'x' }) },
      streams: {},
    } as unknown as OperatorApi;
    const result = await new ApiEndpoint(api, log.forSource('api')).invoke('app.info', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_response');
  });

  it('refuses unknown streams and invalid stream parameters', async () => {
    const host = await testHost();
    expect(host.endpoint.subscribe('wallet.seeds', {}, () => undefined)).toMatchObject({
      ok: false,
      error: { code: 'unknown_stream' },
    });
    expect(host.endpoint.subscribe('log.entries', { backlog: -1 }, () => undefined)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('replays state streams at once on subscribe', async () => {
    const host = await testHost();
    const events: unknown[] = [];
    const result = host.endpoint.subscribe('miner.status', {}, (event) => events.push(event));
    expect(result.ok).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ state: 'stopped', network: 'local', netuid: 72 });
    if (result.ok) result.subscription.dispose();
  });

  it('reports which host it is', async () => {
    const host = await testHost();
    const result = await host.endpoint.invoke('app.info', {});
    expect(result.ok && AppInfoSchema.parse(result.value).host).toBe('headless');
  });
});
