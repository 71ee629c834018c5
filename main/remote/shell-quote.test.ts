import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdFixture } from '../../tests/sshd-fixture.js';
import { quoteRemotePath, shellCommand, shellQuote } from './shell-quote.js';
import { SshClient } from './ssh-client.js';

const AWKWARD = [
  '',
  ' ',
  'plain',
  'two words',
  "it's",
  "''",
  '"double"',
  '$HOME',
  '${PATH}',
  '`id`',
  '$(echo pwned)',
  'back\\slash\\',
  'new\nline',
  'tab\there',
  '*',
  '~',
  '~/x',
  '-n',
  '--',
  'a;b|c&d<e>f',
  '# not a comment',
  '!event',
  'üñíçødé ✓',
  'mixed \'single\' and "double" $(and) `more`',
];

describe('shellQuote', () => {
  let sshd: SshdFixture;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(() => sshd.stop());

  it('every awkward argument reaches the remote command exactly as given', async () => {
    const client = new SshClient({ knownHostsPath: sshd.knownHostsPath });
    // printf writes each argument NUL-terminated, so what comes back can be split without doubt.
    const { code, stdout } = await client.exec(sshd.host, `printf '%s\\0' ${shellCommand(AWKWARD)}`);
    expect(code).toBe(0);
    expect(stdout.split('\0').slice(0, -1)).toEqual(AWKWARD);
  });

  it('"~/..." paths name the remote home, with the rest taken literally', async () => {
    const client = new SshClient({ knownHostsPath: sshd.knownHostsPath });
    const { stdout } = await client.exec(
      sshd.host,
      `printf '%s\\0' "$HOME" ${quoteRemotePath('~/runs/$x y')} ${quoteRemotePath("/abs/it's")}`,
    );
    const [home, underHome, absolute] = stdout.split('\0');
    expect(underHome).toBe(`${home}/runs/$x y`);
    expect(absolute).toBe("/abs/it's");
  });

  it('leaves plain words readable and refuses a NUL, which no argument can carry', () => {
    expect(shellQuote('/opt/conda/bin/python')).toBe('/opt/conda/bin/python');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});
