/**
 * Brings a Hugging Face image classifier into the registry: its files downloaded from the Hub
 * (hf-download.ts) or found in a folder, converted to model.onnx + model.json by the trainer
 * folder's convert.py — on this machine when a Python here has PyTorch, or on a trainer host over
 * ssh (files pushed, one short command, the two outputs pulled) — then registered as an imported
 * model whose origin names the repository and commit. One import at a time; its progress is a
 * stream. What was downloaded stays on disk, so an import stopped or failed midway resumes.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, rm } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import type { CommandHandlers, StreamSources } from '../../shared/contract.js';
import type { ImportSource, ImportWhere, ModelImport } from '../../shared/domain/model-import.js';
import type { RegisteredModel } from '../../shared/domain/model-registry.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';
import { ApiError, errorMessage } from '../../shared/errors.js';
import { Emitter } from '../base/emitter.js';
import { withRetry } from '../base/retry.js';
import type { Logger } from '../log/log-service.js';
import { pullFile, pushFolder } from '../remote/file-sync.js';
import { isTransientLinkFailure, LINK_RETRY_DELAYS_MS } from '../remote/link-retry.js';
import { pythonCommand } from '../remote/remote-run.js';
import { quoteRemotePath } from '../remote/shell-quote.js';
import type { SshClient } from '../remote/ssh-client.js';
import { downloadHfRepo, HfDownloadError } from './hf-download.js';

export interface HfImportDependencies {
  /** The registry (ModelService): checks the folder, copies it in. */
  models: { import(dir: string): Promise<RegisteredModel> };
  hosts: { resolve(hostId?: string): TrainerHost; readonly ssh: SshClient };
  /** The Hub's address now (settings: publish.hfEndpoint). */
  endpoint: () => string;
  /** A token for private or gated repositories, when the operator gave one. */
  token?: () => Promise<string | null>;
  /** resources/trainer: convert.py and the train.py it imports. */
  trainerDir: string;
  dataDir: string;
  log: Logger;
  /** The Python with PyTorch for local conversions; else $STREETVISION_PYTHON, /usr/bin/python3, python3. */
  localPython?: string;
  retryDelaysMs?: readonly number[];
}

export type ImportRequest = { where: ImportWhere; hostId?: string } & (
  { repo: string; revision: string } | { dir: string }
);

const FINISHED = new Set<ModelImport['phase']>(['done', 'failed', 'cancelled']);
const PROGRESS_EVERY_MS = 250;
/** A ViT-Base exports in well under a minute on a CPU; this bounds a stuck one. */
const CONVERSION_TIMEOUT_MS = 20 * 60_000;
const MODEL_FILES = ['model.onnx', 'model.json'] as const;

/** What a conversion left: the JSON lines of convert.py, its exit status and stderr. */
interface ConversionOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class HfImportService {
  private current: ModelImport | null = null;
  private controller: AbortController | null = null;
  private readonly changed = new Emitter<ModelImport | null>();
  private lastProgressAt = 0;
  private localPython: Promise<string | null> | null = null;
  private readonly root: string;

  constructor(private readonly deps: HfImportDependencies) {
    this.root = join(deps.dataDir, 'hf-models');
  }

  /** Starts an import and answers its first state; the rest arrives on the progress stream. */
  start(request: ImportRequest): ModelImport {
    if (this.current && !FINISHED.has(this.current.phase))
      throw new ApiError('failed', `${describeSource(this.current.source)} is being imported; one import at a time.`);
    // A trainer host that does not exist is refused now, not after a long download.
    const host = request.where === 'trainer' ? this.deps.hosts.resolve(request.hostId) : null;
    const source: ImportSource =
      'repo' in request
        ? { kind: 'hub', repo: request.repo, revision: request.revision, commit: null }
        : { kind: 'folder', dir: request.dir };
    this.controller = new AbortController();
    this.current = {
      id: `import-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
      source,
      where: request.where,
      hostId: host?.id ?? null,
      phase: source.kind === 'hub' ? 'downloading' : 'converting',
      detail: source.kind === 'hub' ? `Asking ${this.deps.endpoint()} for ${source.repo}@${source.revision}` : '',
      file: null,
      bytesDone: 0,
      bytesTotal: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      modelId: null,
    };
    this.deps.log.info(`Importing ${describeSource(source)} (converted ${host ? `on ${host.name}` : 'here'})`);
    this.changed.fire(this.current);
    void this.run(this.current.id, host, this.controller.signal);
    return this.current;
  }

  status(): ModelImport | null {
    return this.current;
  }

  cancel(): ModelImport | null {
    if (this.current && !FINISHED.has(this.current.phase)) {
      this.controller?.abort(new Error('cancelled by the operator'));
      this.finish({ phase: 'cancelled', detail: 'Stopped; what was downloaded is kept, importing again resumes.' });
    }
    return this.current;
  }

  handlers(): CommandHandlers<
    'models.importHf' | 'models.importFolder' | 'models.importStatus' | 'models.importCancel'
  > {
    return {
      'models.importHf': (input) => Promise.resolve().then(() => this.start(input)),
      'models.importFolder': (input) => Promise.resolve().then(() => this.start(input)),
      'models.importStatus': () => Promise.resolve(this.status()),
      'models.importCancel': () => Promise.resolve(this.cancel()),
    };
  }

  streams(): StreamSources<'models.importProgress'> {
    return {
      'models.importProgress': (_params, emit) => {
        emit(this.current);
        return this.changed.event(emit);
      },
    };
  }

  dispose(): void {
    this.controller?.abort(new Error('the console is closing'));
    this.changed.dispose();
  }

  private async run(id: string, host: TrainerHost | null, signal: AbortSignal): Promise<void> {
    const source = this.current!.source;
    const out = join(this.root, 'onnx', `${outputName(source)}-${id}`);
    try {
      const { dir, label } = await this.fetchSource(source, signal);
      this.update({
        phase: 'converting',
        file: null,
        detail: `Converting to ONNX ${host ? `on ${host.name}` : 'here'}`,
      });
      const args = ['--source', label];
      if (host) await this.convertOnHost(host, dir, out, args, id, signal);
      else await this.convertHere(dir, out, args, signal);
      signal.throwIfAborted();
      this.update({ phase: 'registering', detail: 'Adding the model to the registry' });
      const model = await this.deps.models.import(out);
      this.deps.log.info(`Imported ${label} as ${model.id}`);
      this.finish({ phase: 'done', modelId: model.id, detail: `Registered as ${model.id}` });
    } catch (error) {
      if (signal.aborted || this.current?.id !== id) return;
      const message = errorMessage(error);
      this.deps.log.error(`Import of ${describeSource(source)} failed: ${message}`);
      this.finish({ phase: 'failed', detail: message });
    } finally {
      // The registry keeps its own copy.
      await rm(out, { recursive: true, force: true });
    }
  }

  /** The folder of the classifier's files, and how the manifest names where it came from. */
  private async fetchSource(source: ImportSource, signal: AbortSignal): Promise<{ dir: string; label: string }> {
    if (source.kind === 'folder') {
      try {
        await access(join(source.dir, 'config.json'));
      } catch {
        throw new Error(`${source.dir} holds no config.json: it is not a Hugging Face model folder.`);
      }
      return { dir: source.dir, label: source.dir };
    }
    const download = await downloadHfRepo({
      endpoint: this.deps.endpoint(),
      repo: source.repo,
      revision: source.revision,
      token: (await this.deps.token?.()) ?? null,
      root: this.root,
      signal,
      retryDelaysMs: this.deps.retryDelaysMs,
      onProgress: ({ file, bytesDone, bytesTotal }) => {
        const now = Date.now();
        const whole = bytesTotal > 0 && bytesDone >= bytesTotal;
        if (now - this.lastProgressAt < PROGRESS_EVERY_MS && !whole && file === this.current?.file) return;
        this.lastProgressAt = now;
        this.update({ file, bytesDone, bytesTotal, detail: `Downloading ${file}` });
      },
      onRetry: (file, reason, delay) =>
        this.update({ detail: `${file} dropped (${reason}); again in ${Math.max(1, Math.round(delay / 1000))} s` }),
    });
    this.update({ source: { ...source, commit: download.commit } });
    return { dir: download.dir, label: `${source.repo}@${download.commit}` };
  }

  private async convertHere(dir: string, out: string, args: string[], signal: AbortSignal): Promise<void> {
    const python = await this.findLocalPython();
    if (!python)
      throw new Error(
        'No Python with PyTorch on this machine: convert on a trainer host, or install python3-torch (or set STREETVISION_PYTHON).',
      );
    const script = join(this.deps.trainerDir, 'convert.py');
    const output = await runHere(python, [script, '--base', `hf:${dir}`, '--out', out, ...args], signal);
    conversionOutcome(output, 'this machine');
  }

  private async convertOnHost(
    host: TrainerHost,
    dir: string,
    out: string,
    args: string[],
    id: string,
    signal: AbortSignal,
  ): Promise<void> {
    const { ssh } = this.deps.hosts;
    const retrying = <T>(what: string, attempt: () => Promise<T>) =>
      withRetry(attempt, {
        delaysMs: this.deps.retryDelaysMs ?? LINK_RETRY_DELAYS_MS,
        signal,
        isRetryable: isTransientLinkFailure,
        onRetry: (error, delay) =>
          this.update({
            detail: `${what} failed (${errorMessage(error)}); again in ${Math.max(1, Math.round(delay / 1000))} s`,
          }),
      });
    const remoteModel = posix.join(host.workDir, 'hf-models', basename(join(dir, '..')) + '--' + basename(dir));
    const remoteOut = posix.join(host.workDir, 'imports', id);
    const trainerDir = posix.join(host.workDir, 'trainer');
    this.update({ detail: `Sending the model's files to ${host.name}` });
    await retrying('Sending the model', () => pushFolder(ssh, host, dir, remoteModel));
    await retrying('Sending the trainer scripts', () => pushFolder(ssh, host, this.deps.trainerDir, trainerDir));
    this.update({ detail: `Converting to ONNX on ${host.name}` });
    // The model folder travels inside `hf:…`, where the shell would not expand "~/": convert.py does.
    const command = pythonCommand({
      python: host.python,
      script: posix.join(trainerDir, 'convert.py'),
      paths: { '--out': remoteOut },
      args: ['--base', `hf:${remoteModel}`, ...args],
    });
    const output = await retrying('Converting', () =>
      ssh.exec(host, command, { timeoutMs: CONVERSION_TIMEOUT_MS, signal }),
    );
    conversionOutcome(output, host.name);
    this.update({ detail: `Fetching the converted model from ${host.name}` });
    for (const file of MODEL_FILES)
      await retrying(`Fetching ${file}`, () => pullFile(ssh, host, posix.join(remoteOut, file), join(out, file)));
    await ssh.exec(host, `rm -rf ${quoteRemotePath(remoteOut)}`).catch(() => undefined);
  }

  private findLocalPython(): Promise<string | null> {
    this.localPython ??= (async () => {
      const candidates = [this.deps.localPython, process.env.STREETVISION_PYTHON, '/usr/bin/python3', 'python3'];
      for (const candidate of candidates.filter((c): c is string => Boolean(c))) {
        const probe = await runHere(candidate, ['-c', 'import torch'], AbortSignal.timeout(60_000)).catch(() => null);
        if (probe?.code === 0) return candidate;
      }
      return null;
    })();
    return this.localPython;
  }

  private update(patch: Partial<ModelImport>): void {
    if (!this.current || FINISHED.has(this.current.phase)) return;
    this.current = { ...this.current, ...patch };
    this.changed.fire(this.current);
  }

  private finish(patch: Partial<ModelImport>): void {
    this.update({ ...patch, finishedAt: new Date().toISOString() });
  }
}

/** Reads convert.py's JSON lines: its error event says what went wrong, in the operator's terms. */
function conversionOutcome(output: ConversionOutput, where: string): void {
  if (output.code === 0) return;
  const events = output.stdout
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { event?: string; message?: string }];
      } catch {
        return [];
      }
    })
    .filter((event) => event.event === 'error');
  const said = events.at(-1)?.message ?? lastLine(output.stderr) ?? `exit status ${String(output.code)}`;
  throw new HfDownloadError(`The conversion on ${where} failed: ${said}`);
}

function lastLine(text: string): string | null {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? null
  );
}

function runHere(program: string, args: readonly string[], signal: AbortSignal): Promise<ConversionOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], signal, timeout: CONVERSION_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function describeSource(source: ImportSource): string {
  return source.kind === 'hub' ? `${source.repo}@${source.revision}` : source.dir;
}

/** The converted folder's name: the registry's origin records it, so it names the repository. */
function outputName(source: ImportSource): string {
  return source.kind === 'hub' ? source.repo.replace('/', '--') : basename(source.dir) || 'folder';
}
