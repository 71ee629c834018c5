import type { TerminalOutput, TerminalSession as TerminalSessionInfo } from '../../shared/domain/terminal.js';
import type { Pty } from './remote-pty.js';
import { Scrollback } from './scrollback.js';

export interface FlowLimits {
  /** Unwritten bytes above which the pty is paused (ssh then stops reading, and the host waits). */
  high: number;
  /** Unwritten bytes below which a paused pty reads again. */
  low: number;
  /** Output is sent in batches at most this often. */
  batchMs: number;
  /** Characters of output kept for a console that attaches later. */
  scrollback: number;
}

export const DEFAULT_FLOW: FlowLimits = { high: 128 * 1024, low: 32 * 1024, batchMs: 16, scrollback: 256 * 1024 };

type Watcher = (event: TerminalOutput) => void;

/**
 * One pty the back end owns (ssh to a trainer host), as Tabby models it: output is batched, kept
 * in a bounded scrollback and sent to whoever watches; consoles ack what they have written, and
 * the pty is paused while too much is unwritten, so a flood on the host cannot bury a console.
 * Nobody watching means nobody to wait for: the output then only goes to the scrollback.
 */
export class TerminalSession {
  private state: 'running' | 'exited' = 'running';
  private exitMessage: string | null = null;
  private readonly scrollback: Scrollback;
  private pending = '';
  private batchTimer: NodeJS.Timeout | undefined;
  private readonly watchers = new Set<Watcher>();
  private unacked = 0;
  private paused = false;
  /** Resolves once ssh has exited (or the pty host under it was lost). */
  readonly exited: Promise<void>;

  constructor(
    readonly id: string,
    readonly hostId: string,
    readonly title: string,
    private readonly pty: Pty,
    describeExit: (exitCode: number, signal: number, output: string) => string,
    private readonly flow: FlowLimits = DEFAULT_FLOW,
  ) {
    this.scrollback = new Scrollback(flow.scrollback);
    pty.onData((data) => this.receive(data));
    this.exited = new Promise((resolve) => {
      pty.onEnd((end) => {
        this.flush();
        this.state = 'exited';
        // A lost pty host says so itself; an exit is explained from what ssh said last.
        this.exitMessage =
          end.kind === 'lost' ? end.message : describeExit(end.exitCode, end.signal, this.scrollback.tail(4096));
        for (const watch of this.watchers) watch({ data: '', exited: this.exitMessage });
        resolve();
      });
    });
  }

  info(): TerminalSessionInfo {
    return { id: this.id, hostId: this.hostId, title: this.title, state: this.state, exitMessage: this.exitMessage };
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** Whether the pty is paused for want of acks (for diagnostics and tests). */
  get isPaused(): boolean {
    return this.paused;
  }

  write(data: string): void {
    if (this.running) this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.running) this.pty.resize(cols, rows);
  }

  ack(bytes: number): void {
    this.unacked = Math.max(0, this.unacked - bytes);
    if (this.paused && this.unacked < this.flow.low) this.setPaused(false);
  }

  /** The scrollback at once, then every batch; the returned function stops watching. */
  watch(emit: Watcher): () => void {
    this.flush();
    const replay = this.scrollback.all();
    // Counted before it is sent: the ack may come back before emit returns.
    this.unacked += Buffer.byteLength(replay);
    this.watchers.add(emit);
    emit(this.exitMessage === null ? { data: replay } : { data: replay, exited: this.exitMessage });
    return () => {
      this.watchers.delete(emit);
      // What it was sent and never acked will never be acked: forgive it rather than stall the
      // others (a console that left mid-flood must not freeze the session for good).
      this.unacked = 0;
      if (this.paused) this.setPaused(false);
    };
  }

  /** Kills ssh (SIGHUP, then SIGKILL if it lingers) and waits for it to exit. */
  async kill(graceMs = 2000): Promise<void> {
    clearTimeout(this.batchTimer);
    if (!this.running) return;
    // A paused pty holds unread output, and node-pty reports the exit only once it is read.
    this.setPaused(false);
    this.pty.kill('SIGHUP');
    let timer: NodeJS.Timeout | undefined;
    const lingered = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (lingered) {
      this.pty.kill('SIGKILL');
      await this.exited;
    }
  }

  private receive(data: string): void {
    this.pending += data;
    // Counted as it arrives, not when the batch leaves: a flood must not pile up between batches.
    if (this.watchers.size > 0) {
      this.unacked += Buffer.byteLength(data) * this.watchers.size;
      if (!this.paused && this.unacked > this.flow.high) this.setPaused(true);
    }
    this.batchTimer ??= setTimeout(() => this.flush(), this.flow.batchMs);
  }

  private flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.pending === '') return;
    const data = this.pending;
    this.pending = '';
    this.scrollback.append(data);
    for (const watch of this.watchers) watch({ data });
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.pty.pause();
    else this.pty.resume();
  }
}
