import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../tests/free-port.js';
import { useSshd } from '../../tests/ssh-suite.js';
import { parseProbeOutput, probeHost } from './probe.js';

const ssh = useSshd();

describe('probeHost ("Test connection")', () => {
  it('reports Python, PyTorch without CUDA, no nvidia-smi and the free disk, and calls the host ready', async () => {
    const result = await probeHost(ssh.client, ssh.sshd.host);
    expect(result.ssh.status).toBe('ok');
    expect(result.python.status === 'ok' && result.python.value.version).toMatch(/^3\.\d+/);
    expect(result.torch).toMatchObject({ status: 'ok', value: { cuda: false, device: null } });
    expect(result.torch.message).toMatch(/^PyTorch \S+ without CUDA: training would run on the CPU/);
    expect(result.gpu).toEqual({ status: 'missing', message: 'nvidia-smi not found: no NVIDIA driver on this host.' });
    // The work dir does not exist yet, so the space is measured at its nearest existing parent.
    expect(result.disk).toMatchObject({ status: 'ok', value: { path: ssh.sshd.dir } });
    expect(result.disk.status === 'ok' && result.disk.value.freeBytes).toBeGreaterThan(0);
    expect(result.disk.message).toContain('does not exist yet');
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/^Ready to train\./);
  });

  it('measures the disk of a "~" work dir in the remote home', async () => {
    const result = await probeHost(ssh.client, { ...ssh.sshd.host, workDir: '~' });
    const home = (await ssh.client.exec(ssh.sshd.host, 'printf %s "$HOME"')).stdout;
    expect(result.disk).toMatchObject({ status: 'ok', value: { path: home } });
    expect(result.disk.message).not.toContain('does not exist yet');
  });

  it('a Python command that does not exist on the host is named, and torch is not asked', async () => {
    const result = await probeHost(ssh.client, { ...ssh.sshd.host, python: 'python3.99-nonexistent' });
    expect(result.ok).toBe(false);
    expect(result.ssh.status).toBe('ok');
    expect(result.python.status).toBe('missing');
    expect(result.python.message).toContain('"python3.99-nonexistent" was not found on the host');
    expect(result.torch.status).toBe('skipped');
    expect(result.message).toMatch(/^Not ready to train: "python3\.99-nonexistent" was not found/);
  });

  it('a Python without torch is reported as torch missing, with what to do', async () => {
    // Debian's python3 without site-packages: the same interpreter, no torch.
    const bare = join(ssh.sshd.dir, 'python-without-torch');
    await writeFile(bare, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n');
    await chmod(bare, 0o755);
    const result = await probeHost(ssh.client, { ...ssh.sshd.host, python: bare });
    expect(result.python.status).toBe('ok');
    expect(result.torch).toEqual({
      status: 'missing',
      message: `PyTorch is not installed for ${bare}: install torch into that environment.`,
    });
    expect(result.ok).toBe(false);
  });

  it('an unreachable host fails the probe with the ssh reason and checks nothing else', async () => {
    const result = await probeHost(ssh.client, { ...ssh.sshd.host, port: await freePort() });
    expect(result).toMatchObject({ ok: false, sshFailure: 'refused', ssh: { status: 'error' } });
    expect(result.message).toMatch(/connection refused/);
    expect([result.python.status, result.torch.status, result.gpu.status, result.disk.status]).toEqual([
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
  });
});

describe('parseProbeOutput on a GPU box', () => {
  const head = [
    'ssh\tok\tLinux gpu-1 x86_64',
    'python\tok\tPython 3.10.12',
    'torch\tok\t{"version": "2.4.1+cu121", "cuda": true, "device": "NVIDIA A100-SXM4-80GB"}',
  ];
  const disk =
    'disk\tok\t/home/ubuntu/streetvision\t/home/ubuntu/streetvision\t/dev/nvme0n1p1 1000000 400000 600000 40% /';

  it('lists each GPU with its memory and load', () => {
    const stdout = [
      ...head,
      'gpu\tok\tNVIDIA A100-SXM4-80GB, 81920 MiB, 1024 MiB, 7 %',
      'gpu\tok\tNVIDIA A100-SXM4-80GB, 81920 MiB, [N/A], [N/A]',
      disk,
    ].join('\n');
    const result = parseProbeOutput(hostOnGpuBox, stdout);
    expect(result.ok).toBe(true);
    expect(result.torch.message).toBe('PyTorch 2.4.1+cu121 with CUDA on NVIDIA A100-SXM4-80GB.');
    expect(result.gpu.status === 'ok' && result.gpu.value.gpus).toEqual([
      { name: 'NVIDIA A100-SXM4-80GB', memoryTotalMiB: 81920, memoryUsedMiB: 1024, utilizationPercent: 7 },
      { name: 'NVIDIA A100-SXM4-80GB', memoryTotalMiB: 81920, memoryUsedMiB: null, utilizationPercent: null },
    ]);
    expect(result.gpu.message).toContain('NVIDIA A100-SXM4-80GB (1.0 GiB of 80.0 GiB used, 7% busy)');
    expect(result.disk).toMatchObject({ status: 'ok', message: '0.6 GiB free in /home/ubuntu/streetvision.' });
  });

  it('a broken driver is a GPU error, not a failed connection', () => {
    const stdout = [
      ...head,
      "gpu\terror\tNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
      disk,
    ].join('\n');
    const result = parseProbeOutput(hostOnGpuBox, stdout);
    expect(result.gpu).toEqual({
      status: 'error',
      message: "nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
    });
    expect(result.ssh.status).toBe('ok');
    expect(result.ok).toBe(true);
  });
});

const hostOnGpuBox = {
  id: 'gpu-1',
  name: 'A100 box',
  host: 'gpu-1.example.net',
  port: 22,
  user: 'ubuntu',
  keyFile: null,
  workDir: '~/streetvision',
  python: 'python3',
};
