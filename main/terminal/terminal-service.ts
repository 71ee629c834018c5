import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import type { CommandHandlers, StreamSources } from '../../shared/contract.js';
import type { TerminalSession as TerminalSessionInfo } from '../../shared/domain/terminal.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';
import { ApiError } from '../../shared/errors.js';
import { Emitter } from '../base/emitter.js';
import type { SshClient } from '../remote/ssh-client.js';
import { describeTerminalExit } from './exit-message.js';
import { PtyHost } from './pty-host.js';
import { DEFAULT_FLOW, TerminalSession, type FlowLimits } from './terminal-session.js';

/** What a terminal needs of the trainer hosts: which host an id means, and how to ssh there. */
export interface TerminalHosts {
  resolve(hostId: string): TrainerHost;
  readonly ssh: SshClient;
}

export interface TerminalServiceOptions {
  flow?: FlowLimits;
  /** Where the ptys run: a pty host process of their own, forked from this one unless given. */
  ptys?: PtyHost;
}

/**
 * The console's terminals to the trainer hosts. The back end owns every session (a pty running
 * ssh); consoles attach to its output stream and forward keystrokes and resizes, so a session
 * outlives the page that opened it. Sessions end when the host closes. The ptys run in a
 * process of their own: if it dies, its sessions end and say so, and the next terminal starts a
 * new one.
 */
export class TerminalService {
  private readonly sessions = new Map<string, TerminalSession>();
  private nextId = 1;
  private readonly openedPerHost = new Map<string, number>();
  /** The list changed: a session opened, ended or closed (every console's tabs follow it). */
  private readonly onDidChangeEmitter = new Emitter<void>();

  private readonly flow: FlowLimits;
  private readonly ptys: PtyHost;

  constructor(
    private readonly hosts: TerminalHosts,
    options: TerminalServiceOptions = {},
  ) {
    this.flow = options.flow ?? DEFAULT_FLOW;
    this.ptys = options.ptys ?? new PtyHost();
  }

  async open(hostId: string, cols: number, rows: number): Promise<TerminalSessionInfo> {
    const host = this.hosts.resolve(hostId);
    const { sshPath } = this.hosts.ssh;
    try {
      await access(sshPath, constants.X_OK);
    } catch {
      throw new ApiError('failed', `${sshPath} is not installed on this machine; install the OpenSSH client.`);
    }
    const pty = await this.ptys.spawn({
      file: sshPath,
      args: this.hosts.ssh.interactiveArgs(host),
      cols,
      rows,
      cwd: homedir(),
      env: { ...definedOnly(process.env), TERM: 'xterm-256color' },
    });
    const count = (this.openedPerHost.get(host.id) ?? 0) + 1;
    this.openedPerHost.set(host.id, count);
    const id = `term-${this.nextId++}`;
    const session = new TerminalSession(
      id,
      host.id,
      `${host.name} #${count}`,
      pty,
      (exitCode, signal, output) => describeTerminalExit(host, exitCode, signal, output),
      this.flow,
    );
    this.sessions.set(id, session);
    void session.exited.then(() => this.onDidChangeEmitter.fire());
    this.onDidChangeEmitter.fire();
    return session.info();
  }

  list(): TerminalSessionInfo[] {
    return [...this.sessions.values()].map((session) => session.info());
  }

  /** For diagnostics and tests: whether a session's pty waits for acks. */
  isPaused(id: string): boolean {
    return this.session(id).isPaused;
  }

  async close(id: string): Promise<void> {
    const session = this.session(id);
    await session.kill();
    this.sessions.delete(id);
    this.onDidChangeEmitter.fire();
  }

  /** The pty host's process id while one runs (for diagnostics and tests). */
  get ptyHostPid(): number | undefined {
    return this.ptys.pid;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.kill()));
    this.sessions.clear();
    this.ptys.dispose();
    this.onDidChangeEmitter.dispose();
  }

  handlers(): CommandHandlers<
    'terminal.open' | 'terminal.list' | 'terminal.input' | 'terminal.resize' | 'terminal.ack' | 'terminal.close'
  > {
    return {
      'terminal.open': ({ hostId, cols, rows }) => this.open(hostId, cols, rows),
      'terminal.list': () => Promise.resolve(this.list()),
      'terminal.input': ({ id, data }) => this.act(id, (session) => session.write(data)),
      'terminal.resize': ({ id, cols, rows }) => this.act(id, (session) => session.resize(cols, rows)),
      'terminal.ack': ({ id, bytes }) => this.act(id, (session) => session.ack(bytes)),
      'terminal.close': async ({ id }) => (await this.close(id), {}),
    };
  }

  streams(): StreamSources<'terminal.output' | 'terminal.sessions'> {
    return {
      'terminal.sessions': (_params, emit) => {
        emit(this.list());
        return this.onDidChangeEmitter.event(() => emit(this.list()));
      },
      'terminal.output': ({ id }, emit) => {
        const session = this.sessions.get(id);
        if (!session) {
          emit({ data: '', exited: gone(id) });
          return { dispose: () => undefined };
        }
        return { dispose: session.watch(emit) };
      },
    };
  }

  /** Does something to a session; an unknown id is a rejection, not a throw. */
  private act(id: string, action: (session: TerminalSession) => void): Promise<Record<string, never>> {
    return Promise.resolve().then(() => {
      action(this.session(id));
      return {};
    });
  }

  private session(id: string): TerminalSession {
    const session = this.sessions.get(id);
    if (!session) throw new ApiError('failed', gone(id));
    return session;
  }
}

/** The environment without its unset entries: what a message to the pty host can carry. */
function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function gone(id: string): string {
  return `No terminal "${id}": it was closed, or the back end restarted.`;
}
