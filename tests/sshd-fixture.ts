import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerHost } from '../shared/domain/trainer-host.js';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';

/**
 * A real OpenSSH server (Debian's /usr/sbin/sshd) on 127.0.0.1, for the trainer's SSH tests: a
 * throwaway host key and user key in a temp folder, logging in as the current user. Nothing of the
 * machine's own SSH setup is read or changed (beyond the privilege-separation folder sshd needs).
 */
export interface SshdFixture {
  /** A host that logs in with the fixture's user key; python is Debian's /usr/bin/python3. */
  readonly host: TrainerHost;
  /** Trusts the current host key unless started with `trusted: false`. */
  readonly knownHostsPath: string;
  /** "SHA256:..." of the current host key; changes with restartWithNewHostKey. */
  readonly hostKeyFingerprint: string;
  /** The fixture's own folder (keys, config, known_hosts, workDir); removed by stop. */
  readonly dir: string;
  /** sshd's stderr so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
  /** Kills (-9) the per-connection sshd processes, as a dropped link would; the listener stays. */
  dropConnections(): Promise<number>;
  /** Restarts on the same port with a fresh host key; returns its fingerprint. */
  restartWithNewHostKey(): Promise<string>;
}

export interface SshdOptions {
  /** Write the host key into knownHostsPath (default true). */
  trusted?: boolean;
}

const SSHD = '/usr/sbin/sshd';

export async function startSshd(options: SshdOptions = {}): Promise<SshdFixture> {
  // Debian's sshd, started as root, insists on its privilege-separation folder; systemd makes it
  // at boot (RuntimeDirectory), containers often lack it.
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), 'sv-sshd-'));
  const userKey = join(dir, 'user_key');
  await keygen(userKey);
  await writeFile(join(dir, 'authorized_keys'), await readFile(`${userKey}.pub`));
  const knownHostsPath = join(dir, 'known_hosts');
  const user = (await run('id', ['-un'])).trim();

  let generation = 0;
  let hostKey = join(dir, `host_key_${generation}`);
  await keygen(hostKey);
  let fingerprint = await fingerprintOf(`${hostKey}.pub`);
  let server = await listenOnFreePort(dir, hostKey);
  const port = server.port;

  if (options.trusted !== false) {
    const [type, key] = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(/\s+/);
    await writeFile(knownHostsPath, `[127.0.0.1]:${port} ${type} ${key}\n`, { mode: 0o600 });
  }

  const host: TrainerHost = {
    id: 'loopback',
    name: 'loopback sshd',
    host: '127.0.0.1',
    port,
    user,
    keyFile: userKey,
    workDir: join(dir, 'work'),
    python: '/usr/bin/python3',
  };

  let stopped = false;
  return {
    host,
    knownHostsPath,
    dir,
    get hostKeyFingerprint() {
      return fingerprint;
    },
    log: () => server.log(),
    dropConnections: () => killSessions(server.child),
    async stop() {
      if (stopped) return;
      stopped = true;
      await killSessions(server.child);
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
    async restartWithNewHostKey() {
      await killSessions(server.child);
      await server.stop();
      generation += 1;
      hostKey = join(dir, `host_key_${generation}`);
      await keygen(hostKey);
      fingerprint = await fingerprintOf(`${hostKey}.pub`);
      server = await listen(dir, hostKey, port);
      return fingerprint;
    },
  };
}

interface Listener {
  child: ChildProcess;
  port: number;
  log(): string;
  stop(): Promise<void>;
}

/** Another process may take a port between freePort and sshd's bind: try a few. */
async function listenOnFreePort(dir: string, hostKey: string): Promise<Listener> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      return await listen(dir, hostKey, await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function listen(dir: string, hostKey: string, port: number): Promise<Listener> {
  const config = join(dir, 'sshd_config');
  const sftp = ['/usr/lib/openssh/sftp-server', '/usr/libexec/sftp-server'].find((path) => existsSync(path));
  await writeFile(
    config,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin yes',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PrintMotd no',
      'PrintLastLog no',
      'X11Forwarding no',
      'MaxStartups 50',
      // bash sources ~/.bashrc for ssh commands only at shell level 1; this machine's .bashrc
      // (pyenv init) costs a second per command and has nothing to do with what is tested.
      'SetEnv SHLVL=1',
      ...(sftp ? [`Subsystem sftp ${sftp}`] : []),
      '',
    ].join('\n'),
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      if (/Server listening on/.test(log)) resolve();
    });
    child.once('error', reject);
    void exited.then(() => reject(new Error(`sshd exited before listening on port ${port}:\n${log}`)));
  });
  return {
    child,
    port,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The sshd processes below the listener (one monitor and one session process per connection). */
async function killSessions(listener: ChildProcess): Promise<number> {
  if (listener.pid === undefined) return 0;
  const sessions = (await descendants(listener.pid)).filter((p) => p.comm === 'sshd' && p.state !== 'Z');
  for (const { pid } of sessions) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already: the connection ended by itself.
    }
  }
  // Wait until they are dead, so the caller's next step sees the link down, not a race; one that
  // lingers past the wait is the caller's next step to find.
  const gone = async (): Promise<boolean> =>
    !(await processes()).some((p) => sessions.some((s) => s.pid === p.pid) && p.state !== 'Z');
  await eventually('the killed sshd sessions to end', gone, { timeoutMs: 5_000, intervalMs: 20 }).catch(
    () => undefined,
  );
  return sessions.length;
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  state: string;
}

async function descendants(root: number): Promise<ProcessInfo[]> {
  const all = await processes();
  const found: ProcessInfo[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const children = all.filter((p) => frontier.includes(p.ppid));
    found.push(...children);
    frontier = children.map((p) => p.pid);
  }
  return found;
}

async function processes(): Promise<ProcessInfo[]> {
  const entries = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const infos = await Promise.all(
    entries.map(async (name) => {
      try {
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ")".
        const stat = await readFile(`/proc/${name}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const [state = '', ppid = '0'] = stat.slice(close + 2).split(' ');
        return { pid: Number(name), ppid: Number(ppid), comm: stat.slice(stat.indexOf('(') + 1, close), state };
      } catch {
        return null;
      }
    }),
  );
  return infos.filter((info): info is ProcessInfo => info !== null);
}

async function keygen(path: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sv-test', '-f', path]);
}

async function fingerprintOf(publicKey: string): Promise<string> {
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKey]));
  if (!match) throw new Error(`ssh-keygen printed no fingerprint for ${publicKey}`);
  return match[0];
}

function run(program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${program} ${args.join(' ')} failed (${code}): ${err}`)),
    );
  });
}

/** A tiny tmpfs is the only honest full disk; it needs the right to mount (root in most CI). */
export function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'sv-mount-'));
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status !== 0) return false;
    spawnSync('umount', [probe]);
    return true;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
