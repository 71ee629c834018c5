import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
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

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The ssh processes this test process started (node-pty forks them straight from here). */
async function sshChildren(): Promise<number[]> {
  const pids: number[] = [];
  for (const name of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const match = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat);
    if (match?.[1] === 'ssh' && match[2] !== 'Z' && Number(match[3]) === process.pid) pids.push(Number(name));
  }
  return pids;
}

/** The shell answers: the prompt-independent way to know a login is done. */
async function ready(service: TerminalService, id: string, seen: { text: string }): Promise<void> {
  await service.handlers()['terminal.input']({ id, data: 'echo READY-$((40+2))\r' });
  await until(() => seen.text.includes('READY-42'), 'the shell to answer');
}

describe('TerminalService', () => {
  it('runs an interactive shell on the host: typed input, its output, and a resize the host sees', async () => {
    const service = terminals();
    const session = await service.open('loopback', 100, 30);
    expect(session).toMatchObject({ hostId: 'loopback', state: 'running', exitMessage: null });
    const { seen } = attach(service, session.id);
    await ready(service, session.id, seen);

    await service.handlers()['terminal.input']({ id: session.id, data: 'echo $((6*7))\r' });
    await until(() => /[\r\n]42\r\n/.test(seen.text), 'the answer 42').catch((error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(seen.text.slice(-400))}`);
    });

    await service.handlers()['terminal.resize']({ id: session.id, cols: 91, rows: 17 });
    await service.handlers()['terminal.input']({ id: session.id, data: 'stty size\r' });
    await until(() => seen.text.includes('17 91'), 'stty to report the new size');

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
    await until(() => seen.exited !== undefined, 'the session to end');
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
    await until(() => service.isPaused(session.id), 'the pty to pause');
    // The batch under way when it paused still leaves; after that, nothing.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const delivered = lazy.seen.bytes;
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Paused: nothing more arrives, far short of the flood, while the host still has more to say.
    expect(lazy.seen.bytes).toBe(delivered);
    expect(delivered).toBeLessThan(flood / 8);
    expect(lazy.seen.text).not.toContain('FLOOD-2-END');

    // The slow console catches up: its acks let the rest through.
    let acked = 0;
    await until(
      () => {
        if (lazy.seen.bytes > acked) {
          void service.handlers()['terminal.ack']({ id: session.id, bytes: lazy.seen.bytes - acked });
          acked = lazy.seen.bytes;
        }
        return lazy.seen.text.includes('FLOOD-2-END');
      },
      'the end of the flood',
      60_000,
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
    await until(() => service.isPaused(session.id), 'the pty to pause');
    lazy.detach();
    await until(() => service.list()[0]?.state === 'running' && !service.isPaused(session.id), 'a resume');
    const back = attach(service, session.id);
    await until(() => back.seen.text.includes('GONE-4'), 'the rest of the output').catch((error: unknown) => {
      throw new Error(
        `${String(error)}: ${back.seen.bytes} ${service.isPaused(session.id)} ${JSON.stringify(back.seen.text.slice(-300))}`,
      );
    });
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

  it('a host that refuses the connection ends the session with ssh’s reason', async () => {
    const service = new TerminalService({ resolve: () => ({ ...ssh.sshd.host, port: 9 }), ssh: ssh.client });
    services.push(service);
    const session = await service.open('loopback', 80, 24);
    const { seen } = attach(service, session.id);
    await until(() => seen.exited !== undefined, 'the session to end');
    expect(seen.exited).toMatch(/Nothing listens for SSH at 127\.0\.0\.1:9 \(connection refused\)/);
  });
});
