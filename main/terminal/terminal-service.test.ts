import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../tests/eventually.js';
import { useSshd } from '../../tests/ssh-suite.js';
import type { TerminalOutput } from '../../shared/domain/terminal.js';
import { TerminalService } from './terminal-service.js';

const ssh = useSshd();
const services: TerminalService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.dispose()));
});

function terminals(): TerminalService {
  const service = new TerminalService({ resolve: () => ssh.sshd.host, ssh: ssh.client });
  services.push(service);
  return service;
}

/** A console attached to a session's output: what it has been sent, and the session's end. */
function attach(service: TerminalService, id: string, { ack = true } = {}) {
  const seen = { text: '', bytes: 0, exited: undefined as string | undefined };
  const subscription = service.streams()['terminal.output']({ id }, (event: TerminalOutput) => {
    seen.text += event.data;
    seen.bytes += Buffer.byteLength(event.data);
    if (event.exited !== undefined) seen.exited = event.exited;
    if (ack && event.data !== '') void service.handlers()['terminal.ack']({ id, bytes: Buffer.byteLength(event.data) });
  });
  return { seen, detach: () => subscription.dispose() };
}

/** An ssh login and a pty's round trip on a loaded 2-core machine: more than a poll's default. */
const SSH_WAIT = { timeoutMs: 15_000, intervalMs: 20 };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The live processes on this machine: id, parent id and name. */
async function processes(): Promise<{ pid: number; parent: number; name: string }[]> {
  const found = [];
  for (const name of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const match = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat);
    if (match && match[2] !== 'Z') found.push({ pid: Number(name), parent: Number(match[3]), name: match[1]! });
  }
  return found;
}

/** The ssh processes this test process started (node-pty forks them from the pty host, its child). */
async function sshChildren(): Promise<number[]> {
  const all = await processes();
  const children = new Set(all.filter((entry) => entry.parent === process.pid).map((entry) => entry.pid));
  return all.filter((entry) => entry.name === 'ssh' && children.has(entry.parent)).map((entry) => entry.pid);
}

/** The shell answers: the prompt-independent way to know a login is done. */
async function ready(service: TerminalService, id: string, seen: { text: string }): Promise<void> {
  await service.handlers()['terminal.input']({ id, data: 'echo READY-$((40+2))\r' });
  await eventually('the shell to answer', () => seen.text.includes('READY-42'), SSH_WAIT);
}

describe('TerminalService', () => {
  it('runs an interactive shell on the host: typed input, its output, and a resize the host sees', async () => {
    const service = terminals();
    const session = await service.open('loopback', 100, 30);
    expect(session).toMatchObject({ hostId: 'loopback', state: 'running', exitMessage: null });
    const { seen } = attach(service, session.id);
    await ready(service, session.id, seen);

    await service.handlers()['terminal.input']({ id: session.id, data: 'echo $((6*7))\r' });
    await eventually('the answer 42', () => /[\r\n]42\r\n/.test(seen.text), SSH_WAIT).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(seen.text.slice(-400))}`);
    });

    await service.handlers()['terminal.resize']({ id: session.id, cols: 91, rows: 17 });
    await service.handlers()['terminal.input']({ id: session.id, data: 'stty size\r' });
    await eventually('stty to report the new size', () => seen.text.includes('17 91'), SSH_WAIT);

    // A console that attaches later (another page, a reload) gets the screen so far.
    const later = attach(service, session.id);
    expect(later.seen.text).toContain('42');
    expect(later.seen.text).toContain('17 91');
    expect(service.list()).toEqual([session]);
  });

  it('a dropped link ends the session, says why, and keeps it listed until closed', async () => {
    const service = terminals();
    // What every console's tab list follows.
    const lists: string[][] = [];
    const follow = service.streams()['terminal.sessions'];
    const listed = follow({}, (list) => lists.push(list.map((info) => `${info.id}:${info.state}`)));
    const session = await service.open('loopback', 80, 24);
    const { seen } = attach(service, session.id);
    await ready(service, session.id, seen);

    await ssh.sshd.dropConnections();
    await eventually('the session to end', () => seen.exited !== undefined, SSH_WAIT);
    expect(seen.exited).toMatch(/connection to .*127\.0\.0\.1:\d+ was lost.*Connection to 127\.0\.0\.1 closed/);
    expect(service.list()).toEqual([{ ...session, state: 'exited', exitMessage: seen.exited }]);
    // Typing into an ended session is harmless; closing it forgets it.
    await service.handlers()['terminal.input']({ id: session.id, data: 'ls\r' });
    await service.close(session.id);
    expect(service.list()).toEqual([]);
    listed.dispose();
    const id = session.id;
    expect(lists).toEqual([[], [`${id}:running`], [`${id}:exited`], []]);
  });

  it('a flood without acks pauses the pty; acks resume it to the end', async () => {
    const service = terminals();
    const session = await service.open('loopback', 80, 24);
    const { seen } = attach(service, session.id);
    await ready(service, session.id, seen);

    const lazy = attach(service, session.id, { ack: false });
    const flood = 4 * 1024 * 1024;
    await service.handlers()['terminal.input']({
      id: session.id,
      data: `head -c ${flood} /dev/zero | tr '\\0' x; echo; echo FLOOD-$((1+1))-END\r`,
    });
    await eventually('the pty to pause', () => service.isPaused(session.id), SSH_WAIT);
    // The batch under way when it paused still leaves; after that, nothing. These two sleeps are
    // what is tested (that no output comes while paused), not a wait for it to come.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const delivered = lazy.seen.bytes;
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Paused: nothing more arrives, far short of the flood, while the host still has more to say.
    expect(lazy.seen.bytes).toBe(delivered);
    expect(delivered).toBeLessThan(flood / 8);
    expect(lazy.seen.text).not.toContain('FLOOD-2-END');

    // The slow console catches up: its acks let the rest through.
    let acked = 0;
    await eventually(
      'the end of the flood',
      () => {
        if (lazy.seen.bytes > acked) {
          void service.handlers()['terminal.ack']({ id: session.id, bytes: lazy.seen.bytes - acked });
          acked = lazy.seen.bytes;
        }
        return lazy.seen.text.includes('FLOOD-2-END');
      },
      { ...SSH_WAIT, timeoutMs: 60_000 },
    );
    expect(lazy.seen.bytes).toBeGreaterThan(flood);
  });

  it('a console that leaves mid-flood does not freeze the session', async () => {
    const service = terminals();
    const session = await service.open('loopback', 80, 24);
    const lazy = attach(service, session.id, { ack: false });
    await service.handlers()['terminal.input']({
      id: session.id,
      data: `head -c 2000000 /dev/zero | tr '\\0' y; echo; echo GONE-$((2+2))\r`,
    });
    await eventually('the pty to pause', () => service.isPaused(session.id), SSH_WAIT);
    lazy.detach();
    await eventually(
      'a resume',
      () => service.list()[0]?.state === 'running' && !service.isPaused(session.id),
      SSH_WAIT,
    );
    const back = attach(service, session.id);
    await eventually('the rest of the output', () => back.seen.text.includes('GONE-4'), SSH_WAIT).catch(
      (error: unknown) => {
        throw new Error(
          `${String(error)}: ${back.seen.bytes} ${service.isPaused(session.id)} ${JSON.stringify(back.seen.text.slice(-300))}`,
        );
      },
    );
  });

  it('close kills ssh', async () => {
    const service = terminals();
    const session = await service.open('loopback', 80, 24);
    const { seen } = attach(service, session.id);
    await ready(service, session.id, seen);
    const [pid] = await sshChildren();
    if (pid === undefined) throw new Error('no ssh process found');
    expect(isAlive(pid)).toBe(true);
    await service.handlers()['terminal.close']({ id: session.id });
    expect(isAlive(pid)).toBe(false);
    expect(service.list()).toEqual([]);
    await expect(service.handlers()['terminal.input']({ id: session.id, data: 'x' })).rejects.toThrow(
      /No terminal "term-\d+"/,
    );
  });

  // Two ssh logins and two pty hosts started: twice the time one test is given.
  it('a crash of the pty host ends its sessions with a message; the console lives on and opens new ones', async () => {
    const service = terminals();
    const session = await service.open('loopback', 80, 24);
    const { seen } = attach(service, session.id);
    await ready(service, session.id, seen);
    const ptyHost = service.ptyHostPid;
    if (ptyHost === undefined) throw new Error('no pty host running');
    const [ssh] = await sshChildren();
    if (ssh === undefined) throw new Error('no ssh process found');

    // What a segfault in node-pty's native code would do to it.
    process.kill(ptyHost, 'SIGKILL');
    await eventually('the session to end', () => seen.exited !== undefined, SSH_WAIT);
    expect(seen.exited).toMatch(/^The terminal process stopped unexpectedly.*Open a new terminal/);
    expect(service.list()).toEqual([{ ...session, state: 'exited', exitMessage: seen.exited }]);
    // The pty went with it, and ssh saw the hangup: nothing is left connected to the host.
    await eventually('ssh to end', () => !isAlive(ssh), SSH_WAIT);

    const again = await service.open('loopback', 80, 24);
    expect(service.ptyHostPid).not.toBe(ptyHost);
    const next = attach(service, again.id);
    await ready(service, again.id, next.seen);
    expect(service.list().map((info) => info.state)).toEqual(['exited', 'running']);
  }, 40_000);

  it('a host that refuses the connection ends the session with ssh’s reason', async () => {
    const service = new TerminalService({ resolve: () => ({ ...ssh.sshd.host, port: 9 }), ssh: ssh.client });
    services.push(service);
    const session = await service.open('loopback', 80, 24);
    const { seen } = attach(service, session.id);
    await eventually('the session to end', () => seen.exited !== undefined, SSH_WAIT);
    expect(seen.exited).toMatch(/Nothing listens for SSH at 127\.0\.0\.1:9 \(connection refused\)/);
  });
});
