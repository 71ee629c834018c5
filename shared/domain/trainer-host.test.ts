import { describe, expect, it } from 'vitest';
import { describeHost, TrainerHostSchema } from './trainer-host.js';

const valid = {
  id: 'a100',
  name: 'Lambda A100',
  host: 'gpu-1.example.net',
  port: 22,
  user: 'ubuntu',
  keyFile: '/home/op/.ssh/id_ed25519',
  workDir: '~/streetvision',
  python: '/opt/conda/envs/sv/bin/python',
};

function problems(patch: Record<string, unknown>): string[] {
  const result = TrainerHostSchema.safeParse({ ...valid, ...patch });
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('TrainerHostSchema', () => {
  it('accepts a host with a key file, or with the agent (keyFile null), by name or by IP', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ keyFile: null, host: '203.0.113.7', workDir: '/data/sv' })).toEqual([]);
    expect(problems({ host: '2001:db8::1' })).toEqual([]);
  });

  it('refuses what ssh would read as an option, or what is not a host at all', () => {
    expect(problems({ host: '-oProxyCommand=sh' })).toEqual([expect.stringMatching(/^host: .*not starting with "-"/)]);
    expect(problems({ user: '-l' })).toEqual([expect.stringMatching(/^user: .*not starting with "-"/)]);
    expect(problems({ host: 'two words' })).toHaveLength(1);
    expect(problems({ user: 'root@evil' })).toHaveLength(1);
    expect(problems({ port: 0 })).toHaveLength(1);
  });

  it('wants a work dir that is absolute or under the remote home', () => {
    expect(problems({ workDir: 'relative/dir' })).toEqual(['workDir: must start with "/" or "~/"']);
    expect(problems({ python: 'python3\nrm -rf /' })).toEqual(['python: must not hold line breaks']);
  });

  it('describes a host the way the operator types it', () => {
    expect(describeHost(valid)).toBe('ubuntu@gpu-1.example.net:22');
    expect(describeHost({ ...valid, host: '2001:db8::1', port: 2222 })).toBe('ubuntu@[2001:db8::1]:2222');
  });
});
