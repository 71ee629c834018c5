import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSshd, type SshdFixture } from '../../tests/sshd-fixture.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { freePort } from '../../tests/free-port.js';
import { checkHostKey, forgetHostKey, HostKeyChangedError, scanHostKey, trustHostKey } from './known-hosts.js';
import { SshClient } from './ssh-client.js';
import { SshError } from './ssh-errors.js';

const tempDir = useTempDirs();
const fixtures: SshdFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.stop()));
});

async function sshd(trusted: boolean): Promise<SshdFixture> {
  const fixture = await startSshd({ trusted });
  fixtures.push(fixture);
  return fixture;
}

describe('known hosts', () => {
  it('a first connection reports the host as new, with its fingerprint, and is refused until trusted', async () => {
    const server = await sshd(false);
    const knownHosts = join(await tempDir(), 'data', 'known_hosts');
    const client = new SshClient({ knownHostsPath: knownHosts });

    const check = await checkHostKey(knownHosts, '127.0.0.1', server.host.port);
    expect(check.state).toBe('new');
    if (check.state !== 'new') return;
    expect(check.fingerprint).toBe(server.hostKeyFingerprint);
    expect(check.message).toContain(server.hostKeyFingerprint);

    const refused = await client.exec(server.host, 'echo hello').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SshError);
    expect((refused as SshError).kind).toBe('host-key-unknown');
    expect((refused as SshError).message).toMatch(/does not trust .* host key yet/);

    await trustHostKey(knownHosts, '127.0.0.1', server.host.port, check.keys);
    expect(await readFile(knownHosts, 'utf8')).toContain(`[127.0.0.1]:${server.host.port} ssh-ed25519 `);
    expect((await checkHostKey(knownHosts, '127.0.0.1', server.host.port)).state).toBe('trusted');
    expect(await client.exec(server.host, 'echo hello')).toMatchObject({ code: 0, stdout: 'hello\n' });
  });

  it('a host key that changed is refused, naming the trusted and the presented fingerprint', async () => {
    const server = await sshd(true);
    const client = new SshClient({ knownHostsPath: server.knownHostsPath });
    expect((await client.exec(server.host, 'true')).code).toBe(0);
    const trusted = server.hostKeyFingerprint;

    const presented = await server.restartWithNewHostKey();
    expect(presented).not.toBe(trusted);

    const refused = await client.exec(server.host, 'true').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SshError);
    expect((refused as SshError).kind).toBe('host-key-changed');
    expect((refused as SshError).message).toContain('has changed');
    expect((refused as SshError).message).toContain(trusted);
    expect((refused as SshError).message).toContain(presented);

    const check = await checkHostKey(server.knownHostsPath, '127.0.0.1', server.host.port);
    expect(check).toMatchObject({ state: 'changed', expected: trusted, presented });

    // Trusting the new key over the old one is refused too; only forgetting the old one first works.
    const keys = await scanHostKey('127.0.0.1', server.host.port);
    await expect(trustHostKey(server.knownHostsPath, '127.0.0.1', server.host.port, keys)).rejects.toThrow(
      HostKeyChangedError,
    );
    await forgetHostKey(server.knownHostsPath, '127.0.0.1', server.host.port);
    await trustHostKey(server.knownHostsPath, '127.0.0.1', server.host.port, keys);
    expect((await client.exec(server.host, 'echo again')).stdout).toBe('again\n');
  });

  it("keeps other hosts' entries when trusting and forgetting one", async () => {
    const server = await sshd(false);
    const knownHosts = join(await tempDir(), 'known_hosts');
    const other = '[10.0.0.9]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0';
    await writeFile(knownHosts, other); // no trailing newline: the append must not glue lines together
    const keys = await scanHostKey('127.0.0.1', server.host.port);
    await trustHostKey(knownHosts, '127.0.0.1', server.host.port, keys);
    await trustHostKey(knownHosts, '127.0.0.1', server.host.port, keys); // again: nothing doubles
    const lines = (await readFile(knownHosts, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1 + keys.length);
    expect(lines[0]).toBe(other);
    await forgetHostKey(knownHosts, '127.0.0.1', server.host.port);
    expect(await readFile(knownHosts, 'utf8')).toBe(`${other}\n`);
  });

  it('says why a scan found no server', async () => {
    const port = await freePort();
    await expect(scanHostKey('127.0.0.1', port)).rejects.toThrow(/connection refused/);
    await expect(scanHostKey('no-such-host.invalid', 22)).rejects.toThrow(/could not be resolved/);
  });

  it('refuses to write something that is not a host key into known_hosts', async () => {
    const knownHosts = join(await tempDir(), 'known_hosts');
    await expect(
      trustHostKey(knownHosts, '127.0.0.1', 22, [{ type: 'ssh-ed25519', key: 'AAAA\n* ssh-ed25519 AAAA' }]),
    ).rejects.toThrow(/Not an SSH host key/);
  });
});
