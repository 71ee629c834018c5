/**
 * Runs the cascade's second stage (`vllm serve …`, or any server with the OpenAI API) for the
 * operator: starts the command they gave, reports it ready once the API answers, restarts it with
 * backoff when it dies, gives up with the reason when it keeps dying at once, and stops it (with
 * every process it started) on request or when the console closes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Disposable } from '../../shared/contract.js';
import { STOPPED_VLM_SERVER, type VlmServerState, type VlmServerStatus } from '../../shared/domain/vlm-server.js';
import { CommandLineError, parseCommandLine, type ParsedCommand } from '../base/command-line.js';
import { Emitter } from '../base/emitter.js';
import { retryDelay } from '../base/retry.js';
import type { Logger } from '../log/log-service.js';

export interface VlmServerOptions {
  log: Logger;
  /** Whether the API at `apiUrl` answers; by default GET {apiUrl}/models. */
  probe?: (apiUrl: string) => Promise<boolean>;
  /** Waits between restarts, the last repeated. */
  backoffMs?: readonly number[];
  probeIntervalMs?: number;
  /** vLLM downloads and loads its weights before it answers: minutes, not seconds. */
  startupTimeoutMs?: number;
  /** After SIGTERM, how long before SIGKILL. */
  stopGraceMs?: number;
  /** A run shorter than this counts as dying at once; this many in a row and it is given up. */
  quickExitMs?: number;
  maxQuickExits?: number;
}

const OUTPUT_LINES = 20;
const MAX_LINE = 400;

export async function probeOpenAiApi(apiUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/models`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

interface Run {
  child: ChildProcess;
  startedAt: number;
  exited: Promise<void>;
}

export class VlmServerSupervisor {
  private status: VlmServerStatus = STOPPED_VLM_SERVER;
  private readonly changes = new Emitter<VlmServerStatus>();
  private run: Run | null = null;
  private target: { command: string; parsed: ParsedCommand; apiUrl: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private quickExits = 0;
  private readonly output: string[] = [];
  private readonly options: Required<VlmServerOptions>;

  constructor(options: VlmServerOptions) {
    this.options = {
      probe: probeOpenAiApi,
      backoffMs: [1000, 2000, 5000, 10_000, 30_000],
      probeIntervalMs: 1000,
      startupTimeoutMs: 20 * 60_000,
      stopGraceMs: 15_000,
      quickExitMs: 60_000,
      maxQuickExits: 5,
      ...options,
    };
  }

  getStatus(): VlmServerStatus {
    return this.status;
  }

  stream(emit: (status: VlmServerStatus) => void): Disposable {
    emit(this.status);
    return this.changes.event(emit);
  }

  /** Starts `command`, whose API will answer at `apiUrl`; a running server is replaced. */
  async start(command: string, apiUrl: string): Promise<VlmServerStatus> {
    await this.stop();
    let parsed: ParsedCommand;
    try {
      parsed = parseCommandLine(command);
    } catch (error) {
      if (!(error instanceof CommandLineError)) throw error;
      this.enter('error', `The second-stage command cannot be run: ${error.message}.`, { command });
      return this.status;
    }
    this.target = { command, parsed, apiUrl };
    this.quickExits = 0;
    this.output.length = 0;
    this.status = { ...STOPPED_VLM_SERVER, command };
    this.launch('starting');
    return this.status;
  }

  async stop(): Promise<VlmServerStatus> {
    this.clearTimer();
    const target = this.target;
    this.target = null;
    const run = this.run;
    if (run) {
      this.enter('stopping', 'Stopping the second-stage server…');
      signalGroup(run.child, 'SIGTERM');
      const forced = setTimeout(() => signalGroup(run.child, 'SIGKILL'), this.options.stopGraceMs);
      await run.exited;
      clearTimeout(forced);
      signalGroup(run.child, 'SIGKILL');
    }
    if (target || run) this.enter('stopped', 'The second-stage server is stopped.', { pid: null });
    return this.status;
  }

  dispose(): Promise<VlmServerStatus> {
    return this.stop().finally(() => this.changes.dispose());
  }

  private launch(state: 'starting' | 'restarting'): void {
    const target = this.target;
    if (!target) return;
    const [file, ...args] = target.parsed.argv;
    const child = spawn(file!, args, {
      env: { ...process.env, ...target.parsed.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so stopping it stops the workers vLLM starts too.
      detached: process.platform !== 'win32',
    });
    let exit!: () => void;
    const run: Run = { child, startedAt: Date.now(), exited: new Promise((resolve) => (exit = resolve)) };
    this.run = run;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.record(line));
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Spawning failed: there will be no 'exit' after it.
      if (this.run === run) this.run = null;
      exit();
      const reason =
        error.code === 'ENOENT'
          ? `"${file}" was not found: install vLLM on this machine (pip install vllm) or give the full path to it.`
          : `"${file}" could not be started (${error.code ?? error.message}).`;
      this.target = null;
      this.enter('error', reason, { pid: null });
    });
    child.once('exit', (code, signal) => {
      if (this.run === run) this.run = null;
      // A leader killed outright leaves its engine processes holding the GPU: they go too.
      signalGroup(child, 'SIGKILL');
      exit();
      this.exited(run, code, signal);
    });
    if (child.pid === undefined) return;
    this.options.log.info(`Started the second-stage server (pid ${child.pid}): ${target.command}`);
    this.enter(
      state,
      state === 'starting'
        ? 'Starting the second-stage server; it answers once its model is loaded.'
        : 'Restarting the second-stage server after it stopped.',
      { pid: child.pid },
    );
    this.waitUntilReady(run, Date.now() + this.options.startupTimeoutMs);
  }

  private waitUntilReady(run: Run, giveUpAt: number): void {
    const target = this.target;
    if (!target || this.run !== run) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.options.probe(target.apiUrl).then((ok) => {
        if (this.run !== run || !this.target) return;
        if (ok) {
          this.quickExits = 0;
          this.options.log.info(`The second-stage server answers at ${target.apiUrl}`);
          this.enter('ready', `Ready: the second stage answers at ${target.apiUrl}.`);
        } else if (Date.now() > giveUpAt) {
          const minutes = Math.round(this.options.startupTimeoutMs / 60_000);
          this.target = null;
          signalGroup(run.child, 'SIGKILL');
          this.enter(
            'error',
            `The second-stage server did not answer at ${target.apiUrl} within ${minutes} min: check the URL in Settings matches its --port.`,
          );
        } else {
          this.waitUntilReady(run, giveUpAt);
        }
      });
    }, this.options.probeIntervalMs);
  }

  private exited(run: Run, code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    if (!this.target) return; // stopped on purpose, or already given up
    this.clearTimer();
    const lastLine = this.output.at(-1);
    this.options.log.error(`The second-stage server ${how}${lastLine ? `: ${lastLine}` : ''}`);
    this.quickExits = Date.now() - run.startedAt < this.options.quickExitMs ? this.quickExits + 1 : 0;
    if (this.quickExits >= this.options.maxQuickExits) {
      this.target = null;
      this.enter(
        'error',
        `The second-stage server ${how} ${this.quickExits} times in a row soon after starting; given up.${lastLine ? ` Its last words: ${lastLine}` : ''}`,
        { pid: null },
      );
      return;
    }
    const wait = retryDelay(this.options.backoffMs, this.status.restarts);
    this.enter('restarting', `The second-stage server ${how}; restarting in ${Math.round(wait / 100) / 10} s.`, {
      pid: null,
      restarts: this.status.restarts + 1,
    });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.launch('restarting');
    }, wait);
  }

  private record(line: string): void {
    const clipped = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
    if (!clipped.trim()) return;
    this.output.push(clipped);
    if (this.output.length > OUTPUT_LINES) this.output.shift();
    this.options.log.debug(`vllm: ${clipped}`);
    // Loading progress is worth showing; once serving, vLLM logs every request, and the log has those.
    if (this.status.state !== 'ready') this.enter(this.status.state, this.status.message);
  }

  private enter(state: VlmServerState, message: string, more: Partial<VlmServerStatus> = {}): void {
    this.status = { ...this.status, ...more, state, message, recentOutput: [...this.output] };
    this.changes.fire(this.status);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * Signals the server's whole process group: the engine processes vLLM starts go too, even once
 * the leader is gone (a leader killed outright leaves them holding the GPU).
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  if (process.platform === 'win32') {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already empty.
  }
}
