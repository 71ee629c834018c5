import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { spawn } from 'node-pty';
import type { CommandHandlers, StreamSources } from '../../shared/contract.js';
import type { TerminalSession as TerminalSessionInfo } from '../../shared/domain/terminal.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';
import { ApiError } from '../../shared/errors.js';
import { Emitter } from '../base/emitter.js';
import type { SshClient } from '../remote/ssh-client.js';
import { describeTerminalExit } from './exit-message.js';
import { DEFAULT_FLOW, TerminalSession, type FlowLimits } from './terminal-session.js';

/** What a terminal needs of the trainer hosts: which host an id means, and how to ssh there. */
export interface TerminalHosts {
  resolve(hostId: string): TrainerHost;
  readonly ssh: SshClient;
}

/**
 * The console's terminals to the trainer hosts. The back end owns every session (a pty running
 * ssh); consoles attach to its output stream and forward keystrokes and resizes, so a session
 * outlives the page that opened it. Sessions end when the host closes.
 */
export class TerminalService {
  private readonly sessions = new Map<string, TerminalSession>();
  private nextId = 1;
  private readonly openedPerHost = new Map<string, number>();
  /** The list changed: a session opened, ended or closed (every console's tabs follow it). */
  private readonly onDidChangeEmitter = new Emitter<void>();

  constructor(
    private readonly hosts: TerminalHosts,
    private readonly flow: FlowLimits = DEFAULT_FLOW,
  ) {}

  async open(hostId: string, cols: number, rows: number): Promise<TerminalSessionInfo> {
    const host = this.hosts.resolve(hostId);
    const { sshPath } = this.hosts.ssh;
    try {
      await access(sshPath, constants.X_OK);
    } catch {
      throw new ApiError('failed', `${sshPath} is not installed on this machine; install the OpenSSH client.`);
    }
    const pty = spawn(sshPath, this.hosts.ssh.interactiveArgs(host), {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: homedir(),
      env: { ...process.env, TERM: 'xterm-256color' },
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

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.kill()));
    this.sessions.clear();
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

function gone(id: string): string {
  return `No terminal "${id}": it was closed, or the back end restarted.`;
}
