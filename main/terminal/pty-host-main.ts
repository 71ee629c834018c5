/**
 * The pty host process: runs the terminals' ptys (node-pty, native code) outside the console's
 * own process, so a crash in it ends the open terminals, not the miner. It does what the terminal
 * service asks and reports each pty's output and exit; it keeps no state beyond the ptys.
 */
import { spawn, type IPty } from 'node-pty';
import { parentChannel } from '../base/parent-channel.js';
import { ToPtyHostSchema, type FromPtyHost, type ToPtyHost } from './pty-host-protocol.js';
import { errorMessage } from '../../shared/errors.js';

/**
 * Output written to the channel but not yet taken by it, above which every pty stops reading: the
 * service's own flow control only works if output cannot pile up here while its pause is on the way.
 */
const CHANNEL_HIGH = 64 * 1024;

const channel = parentChannel();
const ptys = new Map<number, HostedPty>();
let unsent = 0;

/** Typed, not re-parsed here: the service checks every message it receives. */
function reply(message: FromPtyHost, sent?: () => void): void {
  channel.send(message, sent);
}

/** One pty, paused while the service asks or while the channel is full. */
class HostedPty {
  private pausedByService = false;
  private paused = false;

  constructor(
    readonly id: number,
    private readonly pty: IPty,
  ) {
    pty.onData((data) => {
      const bytes = Buffer.byteLength(data);
      unsent += bytes;
      reply({ type: 'data', id, data }, () => {
        unsent -= bytes;
        if (unsent <= CHANNEL_HIGH) for (const hosted of ptys.values()) hosted.settle();
      });
      if (unsent > CHANNEL_HIGH) this.settle();
    });
    pty.onExit(({ exitCode, signal }) => {
      ptys.delete(id);
      reply({ type: 'exit', id, exitCode, signal: signal ?? 0 });
    });
  }

  handle(message: Exclude<ToPtyHost, { type: 'open' }>): void {
    switch (message.type) {
      case 'input':
        return this.pty.write(message.data);
      case 'resize':
        return this.pty.resize(message.cols, message.rows);
      case 'pause':
      case 'resume':
        this.pausedByService = message.type === 'pause';
        return this.settle();
      case 'kill':
        // A paused pty holds unread output, and node-pty reports the exit only once it is read.
        this.pausedByService = false;
        this.settle();
        return this.pty.kill(message.signal);
    }
  }

  settle(): void {
    const paused = this.pausedByService || unsent > CHANNEL_HIGH;
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) this.pty.pause();
    else this.pty.resume();
  }
}

function open(message: Extract<ToPtyHost, { type: 'open' }>): void {
  try {
    const pty = spawn(message.file, message.args, {
      name: 'xterm-256color',
      cols: message.cols,
      rows: message.rows,
      cwd: message.cwd,
      env: message.env,
    });
    ptys.set(message.id, new HostedPty(message.id, pty));
    reply({ type: 'spawned', id: message.id });
  } catch (error) {
    reply({ type: 'spawn-failed', id: message.id, message: errorMessage(error) });
  }
}

channel.onMessage((raw) => {
  const parsed = ToPtyHostSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === 'open') open(message);
  // A message for a pty that has just exited crossed its exit report: nothing to do.
  else ptys.get(message.id)?.handle(message);
});

// The console went away: its terminals go with it (ssh sees the hangup), and so does this process.
channel.onDisconnect(() => {
  for (const hosted of ptys.values()) hosted.handle({ type: 'kill', id: hosted.id, signal: 'SIGHUP' });
  process.exit(0);
});
