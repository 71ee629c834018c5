import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import type { HostProbe } from '../../shared/domain/training.js';
import { draftToHost, EMPTY_HOST_DRAFT, newHostId } from './host-draft.js';
import { probeChecklist } from './probe-checklist.js';
import { settingsFieldErrors } from './settings-errors.js';

describe('the trainer-host form', () => {
  it('turns a filled form into the host the back end stores', () => {
    const checked = draftToHost(
      { ...EMPTY_HOST_DRAFT, name: ' lambda A100 ', host: 'gpu.example.org', port: '2222', user: 'ubuntu' },
      'lambda-a100',
    );
    expect(checked).toEqual({
      ok: true,
      host: {
        id: 'lambda-a100',
        name: 'lambda A100',
        host: 'gpu.example.org',
        port: 2222,
        user: 'ubuntu',
        keyFile: '~/.ssh/id_ed25519',
        workDir: '~/streetvision',
        python: 'python3',
      },
    });
    const agent = draftToHost({ ...EMPTY_HOST_DRAFT, name: 'a', host: 'h', user: 'u', useAgent: true }, 'a');
    expect(agent.ok && agent.host.keyFile).toBeNull();
  });

  it("shows the host schema's message by each field that breaks it", () => {
    const checked = draftToHost(
      { ...EMPTY_HOST_DRAFT, name: '', host: '-oProxyCommand=x', port: 'ssh', user: 'me@there', workDir: 'relative' },
      'x',
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      name: 'must not be empty',
      host: expect.stringContaining('not starting with "-"') as string,
      port: 'must be a number',
      user: expect.stringContaining('must be a user name') as string,
      workDir: 'must start with "/" or "~/"',
    });
    const port = draftToHost({ ...EMPTY_HOST_DRAFT, name: 'a', host: 'h', user: 'u', port: '70000' }, 'a');
    expect(port.ok ? null : port.errors.port).toBe('must be at most 65535');
  });

  it('gives a new host an id from its name, unique among the others', () => {
    expect(newHostId('Lambda A100 (spot)', [])).toBe('lambda-a100-spot');
    expect(newHostId('Lambda A100', ['lambda-a100', 'lambda-a100-2'])).toBe('lambda-a100-3');
    expect(newHostId('☃', [])).toBe('host');
  });
});

describe('the training sections of Settings', () => {
  it('names each field the settings schema refuses, by section and field', () => {
    const errors = settingsFieldErrors(DEFAULT_SETTINGS, {
      schedule: { start: '25:00', minNewLabels: Number.NaN },
      training: { syntheticShare: 0.95 },
    });
    expect(errors).toEqual({
      'schedule.start': 'must be a time of day such as 23:00',
      'schedule.minNewLabels': 'must be a number',
      'training.syntheticShare': 'must be at most 0.9',
    });
    expect(settingsFieldErrors(DEFAULT_SETTINGS, { deploy: { maxMccDrop: 0.02 } })).toEqual({});
  });
});

describe('Test connection as a checklist', () => {
  const probe: HostProbe = {
    ok: true,
    message: 'Ready to train.',
    sshFailure: null,
    ssh: { status: 'ok', message: 'Connected to me@box:22.' },
    python: { status: 'ok', message: 'Python 3.11.2 (python3).' },
    torch: { status: 'ok', message: 'PyTorch 2.1.0 without CUDA: training would run on the CPU, slowly.' },
    cuda: { status: 'missing', message: 'PyTorch cannot use CUDA here: training runs on the CPU.' },
    gpu: { status: 'missing', message: 'No nvidia-smi.' },
    disk: { status: 'ok', message: '40 GB free.' },
  };

  it('lists ssh, Python, PyTorch, CUDA, GPU and disk, in the order a job needs them', () => {
    const rows = probeChecklist(probe);
    expect(rows.map((row) => [row.label, row.status])).toEqual([
      ['ssh', 'ok'],
      ['Python', 'ok'],
      ['PyTorch', 'ok'],
      ['CUDA', 'missing'],
      ['GPU', 'missing'],
      ['Disk', 'ok'],
    ]);
    expect(rows[3]!.message).toMatch(/CPU/);
  });
});
