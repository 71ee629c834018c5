import { connect } from 'node:net';
import { runLocal } from './run-local.js';

/** One public host key as the server presents it. */
export interface HostKey {
  /** e.g. "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa". */
  type: string;
  /** The base64 key blob, as in known_hosts. */
  key: string;
  /** "SHA256:...", as ssh prints it and as providers show it on their consoles. */
  fingerprint: string;
}

const KEY_TYPE = /^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa)$/;
const KEY_BLOB = /^[A-Za-z0-9+/]+={0,2}$/;

/** Order in which the operator is shown keys: the one a modern ssh negotiates first leads. */
const PREFERENCE = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'];

export function isValidHostKey(key: { type: string; key: string }): boolean {
  return KEY_TYPE.test(key.type) && KEY_BLOB.test(key.key);
}

/**
 * Asks the server at host:port for its host keys (ssh-keyscan: no login, nothing trusted yet) and
 * fingerprints them. Throws with the reason in the operator's terms when nothing answers.
 */
export async function scanHostKey(host: string, port: number): Promise<HostKey[]> {
  const result = await runLocal('ssh-keyscan', ['-p', String(port), '-T', '5', '-t', 'ed25519,ecdsa,rsa', '--', host]);
  const keys = result.stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.trim().split(/\s+/))
    .map(([, type = '', key = '']) => ({ type, key }))
    .filter(isValidHostKey)
    .sort((a, b) => PREFERENCE.indexOf(a.type) - PREFERENCE.indexOf(b.type));
  if (keys.length === 0) throw new Error(await explainSilence(host, port));
  const fingerprints = await fingerprintKeys(keys);
  return keys.map((key, index) => ({ ...key, fingerprint: fingerprints[index] ?? '' }));
}

/** SHA256 fingerprints of public keys, in order, computed by `ssh-keygen -lf -`. */
export async function fingerprintKeys(keys: readonly { type: string; key: string }[]): Promise<string[]> {
  if (keys.length === 0) return [];
  // Each line carries its index as the comment, which ssh-keygen echoes back: no reliance on order.
  const input = keys.map((key, index) => `${key.type} ${key.key} k${index}\n`).join('');
  const result = await runLocal('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], input);
  const byIndex = new Map<number, string>();
  for (const line of result.stdout.split('\n')) {
    const match = /^\d+ (SHA256:[A-Za-z0-9+/]+) k(\d+) /.exec(line);
    if (match?.[1] && match[2]) byIndex.set(Number(match[2]), match[1]);
  }
  return keys.map((_, index) => {
    const fingerprint = byIndex.get(index);
    if (!fingerprint) throw new Error(`ssh-keygen could not read a host key: ${result.stderr.trim() || 'no output'}`);
    return fingerprint;
  });
}

/**
 * ssh-keyscan says nothing useful when it gets no key (exit 1, empty output), so a plain TCP
 * connect tells the operator which of the usual suspects it is.
 */
function explainSilence(host: string, port: number): Promise<string> {
  const where = `${host}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 5000 });
    const done = (message: string) => {
      socket.destroy();
      resolve(message);
    };
    socket.once('connect', () =>
      done(`${where} accepted a connection but offered no SSH host key: is this port an SSH server?`),
    );
    socket.once('timeout', () => done(`No answer from ${where} within 5 s: check the address, port and firewall.`));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') done(`Nothing listens for SSH at ${where} (connection refused).`);
      else if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
        done(`The host name "${host}" could not be resolved: check its spelling and this machine's DNS.`);
      else done(`Could not reach ${where}: ${error.message}`);
    });
  });
}
