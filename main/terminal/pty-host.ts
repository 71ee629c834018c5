import type { ChildHandle } from '../base/child-handle.js';
import { reportUnexpected } from '../base/unexpected-errors.js';
import { ApiError } from '../../shared/errors.js';
import { describePtyHostLoss } from './exit-message.js';
import { forkPtyHost, type PtyHostLauncher } from './pty-host-launcher.js';
import { FromPtyHostSchema, type FromPtyHost, type ToPtyHost } from './pty-host-protocol.js';
import { RemotePty, type Pty } from './remote-pty.js';

export type PtyOptions = Omit<Extract<ToPtyHost, { type: 'open' }>, 'type' | 'id'>;

/** One pty host process and the ptys it runs. */
interface Running {
  readonly handle: ChildHandle;
  readonly ptys: Map<number, RemotePty>;
  /** Opens it has not answered yet. */
  readonly opening: Map<number, { resolve: () => void; reject: (error: Error) => void }>;
}

/**
 * The terminals' ptys, run in a process of their own (started with the first terminal), so that
 * a crash in node-pty's native code ends the terminals and not the console with its miner. If that
 * process dies, every pty in it ends with a message saying so, and the next pty starts a new one.
 */
export class PtyHost {
  private running: Running | null = null;
  private nextId = 1;
  private disposed = false;

  constructor(private readonly launch: PtyHostLauncher = forkPtyHost) {}

  /** Starts a program under a new pty; resolves once it runs, rejects if it could not start. */
  spawn(options: PtyOptions): Promise<Pty> {
    if (this.disposed) return Promise.reject(new ApiError('failed', 'The console is shutting down.'));
    const host = (this.running ??= this.start());
    const id = this.nextId++;
    const pty = new RemotePty(id, (message) => host.handle.send(message));
    host.ptys.set(id, pty);
    return new Promise<Pty>((resolve, reject) => {
      host.opening.set(id, { resolve: () => resolve(pty), reject });
      host.handle.send({ type: 'open', id, ...options } satisfies ToPtyHost);
    });
  }

  /** The pty host's process id while one runs (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.running?.handle.pid;
  }

  /** Ends the pty host process; its ptys end with it. Close the sessions first to end them gently. */
  dispose(): void {
    this.disposed = true;
    this.running?.handle.kill();
  }

  private start(): Running {
    const handle = this.launch();
    const host: Running = { handle, ptys: new Map(), opening: new Map() };
    handle.onMessage((raw) => {
      const parsed = FromPtyHostSchema.safeParse(raw);
      if (parsed.success) this.receive(host, parsed.data);
      else reportUnexpected('the terminal process', new Error('a message outside its protocol; ignored'));
    });
    handle.onExit((code) => {
      if (this.running === host) this.running = null;
      const message = describePtyHostLoss(code);
      for (const { reject } of host.opening.values()) reject(new ApiError('failed', message));
      host.opening.clear();
      for (const pty of host.ptys.values()) pty.end({ kind: 'lost', message });
      host.ptys.clear();
    });
    return host;
  }

  private receive(host: Running, message: FromPtyHost): void {
    switch (message.type) {
      case 'spawned':
        host.opening.get(message.id)?.resolve();
        host.opening.delete(message.id);
        return;
      case 'spawn-failed':
        host.opening
          .get(message.id)
          ?.reject(new ApiError('failed', `The terminal could not start: ${message.message}`));
        host.opening.delete(message.id);
        host.ptys.delete(message.id);
        return;
      case 'data':
        host.ptys.get(message.id)?.received(message.data);
        return;
      case 'exit':
        host.ptys.get(message.id)?.end({ kind: 'exited', exitCode: message.exitCode, signal: message.signal });
        host.ptys.delete(message.id);
        return;
    }
  }
}
