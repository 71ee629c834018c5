import type { PtySignal, ToPtyHost } from './pty-host-protocol.js';

/** How a pty ended: its program exited, or the pty host process under it was lost. */
export type PtyEnd = { kind: 'exited'; exitCode: number; signal: number } | { kind: 'lost'; message: string };

/** What a terminal session needs of its pty. */
export interface Pty {
  onData(listener: (data: string) => void): void;
  /** Once, when the pty has ended (after its last output). */
  onEnd(listener: (end: PtyEnd) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  kill(signal: PtySignal): void;
}

type Send = (message: Exclude<ToPtyHost, { type: 'open' }>) => void;

/** One pty in the pty host process, as the host process sees it: commands out, events in. */
export class RemotePty implements Pty {
  private readonly dataListeners: ((data: string) => void)[] = [];
  private readonly endListeners: ((end: PtyEnd) => void)[] = [];
  private ended: PtyEnd | null = null;

  constructor(
    readonly id: number,
    private readonly send: Send,
  ) {}

  onData(listener: (data: string) => void): void {
    this.dataListeners.push(listener);
  }

  onEnd(listener: (end: PtyEnd) => void): void {
    if (this.ended) listener(this.ended);
    else this.endListeners.push(listener);
  }

  write(data: string): void {
    this.command({ type: 'input', id: this.id, data });
  }

  resize(cols: number, rows: number): void {
    this.command({ type: 'resize', id: this.id, cols, rows });
  }

  pause(): void {
    this.command({ type: 'pause', id: this.id });
  }

  resume(): void {
    this.command({ type: 'resume', id: this.id });
  }

  kill(signal: PtySignal): void {
    this.command({ type: 'kill', id: this.id, signal });
  }

  /** Output the pty host reported. */
  received(data: string): void {
    if (this.ended) return;
    for (const listener of this.dataListeners) listener(data);
  }

  /** The pty host reported the exit, or was lost. */
  end(end: PtyEnd): void {
    if (this.ended) return;
    this.ended = end;
    for (const listener of this.endListeners.splice(0)) listener(end);
  }

  private command(message: Parameters<Send>[0]): void {
    if (!this.ended) this.send(message);
  }
}
