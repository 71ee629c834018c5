import { createHmac } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileDurably } from '../base/durable-file.js';
import { fingerprintKeys, isValidHostKey, scanHostKey, type HostKey } from './host-key-scan.js';

/*
 * The console's own known_hosts (e.g. <dataDir>/known_hosts). It never reads or writes the
 * operator's ~/.ssh/known_hosts: trusting a training box is a decision made in the console, with
 * the fingerprint in front of the operator, and nothing else on the machine should change because
 * of it.
 */

export { scanHostKey, type HostKey } from './host-key-scan.js';

export type HostKeyCheck =
  | { state: 'trusted'; message: string }
  | { state: 'new'; fingerprint: string; keys: HostKey[]; message: string }
  | { state: 'changed'; expected: string; presented: string; message: string };

/** A key changed since it was trusted: refused until the operator forgets the old one. */
export class HostKeyChangedError extends Error {
  override readonly name = 'HostKeyChangedError';
  constructor(
    readonly hostName: string,
    readonly expected: string,
    readonly presented: string,
  ) {
    super(hostKeyChangedMessage(hostName, expected, presented));
  }
}

export function hostKeyChangedMessage(hostName: string, expected: string, presented: string): string {
  return (
    `The host key of ${hostName} has changed: the console trusts ${expected}, but the host presented ${presented}. ` +
    'The connection is refused. If the machine was reinstalled, compare the new fingerprint with the one your ' +
    'provider shows, then forget the old key; if not, someone may be intercepting the connection.'
  );
}

/** The name ssh looks a host up by: "host" on port 22, "[host]:port" elsewhere. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The keys the file trusts for host:port, with their fingerprints. */
export async function knownHostKeys(knownHostsPath: string, host: string, port: number): Promise<HostKey[]> {
  const name = knownHostsName(host, port);
  const keys = (await readLines(knownHostsPath)).flatMap((line) => {
    const entry = parseLine(line);
    return entry && entry.names.some((pattern) => namesMatch(pattern, name)) ? [entry] : [];
  });
  const fingerprints = await fingerprintKeys(keys);
  return keys.map(({ type, key }, index) => ({ type, key, fingerprint: fingerprints[index] ?? '' }));
}

/** Scans host:port and compares what it presents with what the console trusts. */
export async function checkHostKey(knownHostsPath: string, host: string, port: number): Promise<HostKeyCheck> {
  const name = knownHostsName(host, port);
  const presented = await scanHostKey(host, port);
  const known = await knownHostKeys(knownHostsPath, host, port);
  const first = presented[0];
  if (!first) throw new Error(`${name} presented no host key.`);
  if (known.length === 0) {
    return {
      state: 'new',
      fingerprint: first.fingerprint,
      keys: presented,
      message:
        `The console has not connected to ${name} before. Its host key fingerprint is ${first.fingerprint}: ` +
        'compare it with the one your provider shows before trusting it.',
    };
  }
  if (presented.some((key) => known.some((trusted) => sameKey(key, trusted)))) {
    return { state: 'trusted', message: `${name} presented the host key the console trusts.` };
  }
  const { expected, shown } = conflict(known, presented);
  return {
    state: 'changed',
    expected: expected.fingerprint,
    presented: shown.fingerprint,
    message: hostKeyChangedMessage(name, expected.fingerprint, shown.fingerprint),
  };
}

/**
 * Adds host:port's keys (as the operator saw them in a 'new' check) to the console's known_hosts,
 * flushed to disk before returning. Refuses keys that contradict ones already trusted.
 */
export async function trustHostKey(
  knownHostsPath: string,
  host: string,
  port: number,
  keys: readonly { type: string; key: string }[],
): Promise<void> {
  const name = knownHostsName(host, port);
  if (keys.length === 0) throw new Error('No host key to trust.');
  const invalid = keys.find((key) => !isValidHostKey(key));
  if (invalid) throw new Error(`Not an SSH host key: type "${invalid.type}".`);
  const known = await knownHostKeys(knownHostsPath, host, port);
  const contradicts =
    known.length > 0 &&
    (!keys.some((key) => known.some((trusted) => sameKey(key, trusted))) ||
      keys.some((key) => known.some((trusted) => trusted.type === key.type && trusted.key !== key.key)));
  if (contradicts) {
    const fingerprints = await fingerprintKeys(keys);
    const { expected, shown } = conflict(
      known,
      keys.map((key, index) => ({ ...key, fingerprint: fingerprints[index] ?? '' })),
    );
    throw new HostKeyChangedError(name, expected.fingerprint, shown.fingerprint);
  }
  const fresh = keys.filter((key) => !known.some((trusted) => sameKey(key, trusted)));
  if (fresh.length === 0) return;
  await appendDurably(knownHostsPath, fresh.map((key) => `${name} ${key.type} ${key.key}\n`).join(''));
}

/** Removes every entry for host:port: the operator's deliberate step after a reinstall. */
export async function forgetHostKey(knownHostsPath: string, host: string, port: number): Promise<void> {
  const name = knownHostsName(host, port);
  const lines = await readLines(knownHostsPath);
  const kept = lines.filter((line) => !parseLine(line)?.names.some((pattern) => namesMatch(pattern, name)));
  if (kept.length === lines.length) return;
  await writeFileDurably(knownHostsPath, kept.map((line) => `${line}\n`).join(''));
}

function sameKey(a: { type: string; key: string }, b: { type: string; key: string }): boolean {
  return a.type === b.type && a.key === b.key;
}

/** The pair to name in a refusal: keys of the same type when there are any, so they compare. */
function conflict(known: HostKey[], presented: HostKey[]): { expected: HostKey; shown: HostKey } {
  const shown = presented.find((key) => known.some((trusted) => trusted.type === key.type)) ?? presented[0];
  const expected = known.find((trusted) => trusted.type === shown?.type) ?? known[0];
  if (!shown || !expected) throw new Error('No host keys to compare.');
  return { expected, shown };
}

async function readLines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** `names type key [comment]`; marker lines (@revoked, @cert-authority) are not ours and skipped. */
function parseLine(line: string): { names: string[]; type: string; key: string } | null {
  const trimmed = line.trim();
  if (trimmed.startsWith('#') || trimmed.startsWith('@')) return null;
  const [names = '', type = '', key = ''] = trimmed.split(/\s+/);
  return isValidHostKey({ type, key }) ? { names: names.split(','), type, key } : null;
}

/** Plain names compare as text; hashed ones ("|1|salt|hash", HashKnownHosts) by their HMAC-SHA1. */
function namesMatch(pattern: string, name: string): boolean {
  const hashed = /^\|1\|([^|]+)\|([^|]+)$/.exec(pattern);
  if (!hashed?.[1] || !hashed[2]) return pattern === name;
  const digest = createHmac('sha1', Buffer.from(hashed[1], 'base64')).update(name).digest('base64');
  return digest === hashed[2];
}

/** Append, then fsync the file (and the folder when the file is new): a trust decision must stick. */
async function appendDurably(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const file = await open(path, 'a+', 0o600);
  let created: boolean;
  try {
    const { size } = await file.stat();
    created = size === 0;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await file.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await file.appendFile(prefix + text, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  if (created && process.platform !== 'win32') {
    const folder = await open(dirname(path), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}
