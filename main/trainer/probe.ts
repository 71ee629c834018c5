import { PROBE_SCRIPT } from './probe-script.js';
import { quoteRemotePath, shellQuote } from '../remote/shell-quote.js';
import type { SshClient } from '../remote/ssh-client.js';
import { SshError, type SshFailureKind } from '../remote/ssh-errors.js';
import { describeHost, type TrainerHost } from '../../shared/domain/trainer-host.js';

/** 'skipped': not checked because something it needs failed first (no Python, no connection). */
export type ProbeStatus = 'ok' | 'missing' | 'error' | 'skipped';

export type ProbeItem<T> =
  { status: 'ok'; message: string; value: T } | { status: Exclude<ProbeStatus, 'ok'>; message: string };

export interface GpuInfo {
  name: string;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  utilizationPercent: number | null;
}

export interface ProbeResult {
  /** Training can start: connected, the Python runs and imports torch. A GPU is not required. */
  ok: boolean;
  /** One line for the operator. */
  message: string;
  /** Why ssh failed, when it did (the console offers to trust a 'host-key-unknown' host). */
  sshFailure: SshFailureKind | null;
  ssh: ProbeItem<{ system: string }>;
  python: ProbeItem<{ version: string }>;
  torch: ProbeItem<{ version: string; cuda: boolean; device: string | null }>;
  gpu: ProbeItem<{ gpus: GpuInfo[] }>;
  disk: ProbeItem<{ path: string; freeBytes: number; totalBytes: number }>;
}

/** "Test connection": one ssh round trip that checks everything a training job needs. */
export async function probeHost(
  client: SshClient,
  host: TrainerHost,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ProbeResult> {
  const command = `sh -s -- ${shellQuote(host.python)} ${quoteRemotePath(host.workDir)}`;
  try {
    // import torch alone can take tens of seconds on a cold disk; a hung driver must not hang the UI.
    const result = await client.exec(host, command, {
      stdin: PROBE_SCRIPT,
      timeoutMs: options.timeoutMs ?? 120_000,
      signal: options.signal,
    });
    return parseProbeOutput(host, result.stdout);
  } catch (error) {
    if (!(error instanceof SshError)) throw error;
    return unreachable(error);
  }
}

/** Turns the script's "item<TAB>status<TAB>detail" lines into findings with messages. */
export function parseProbeOutput(host: TrainerHost, stdout: string): ProbeResult {
  const lines = stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([item, status]) => item && isStatus(status));
  const find = (item: string) =>
    lines.filter(([name]) => name === item).map(([, status, ...rest]) => ({ status: status as ProbeStatus, rest }));
  const ssh = find('ssh')[0];
  const result: Omit<ProbeResult, 'ok' | 'message'> = {
    sshFailure: null,
    ssh: ssh
      ? { status: 'ok', message: `Connected to ${describeHost(host)}.`, value: { system: ssh.rest[0] ?? '' } }
      : { status: 'error', message: 'The probe script did not run on the host (no answer from sh).' },
    python: pythonItem(host, find('python')[0]),
    torch: torchItem(host, find('torch')[0]),
    gpu: gpuItem(find('gpu')),
    disk: diskItem(find('disk')[0]),
  };
  return summarise(result);
}

type Finding = { status: ProbeStatus; rest: string[] } | undefined;

function pythonItem(host: TrainerHost, finding: Finding): ProbeResult['python'] {
  const detail = finding?.rest[0] ?? '';
  switch (finding?.status) {
    case 'ok':
      return {
        status: 'ok',
        message: `${detail} (${host.python}).`,
        value: { version: detail.replace(/^Python\s+/, '') },
      };
    case 'missing':
      return {
        status: 'missing',
        message: `"${host.python}" was not found on the host: set the Python command to one that exists there (e.g. python3, or the full path of a conda env's python).`,
      };
    default:
      return { status: 'error', message: `"${host.python}" did not run: ${detail || 'no answer'}.` };
  }
}

function torchItem(host: TrainerHost, finding: Finding): ProbeResult['torch'] {
  const detail = finding?.rest[0] ?? '';
  if (finding?.status === 'ok') {
    try {
      const info = JSON.parse(detail) as { version: string; cuda: boolean; device: string | null };
      const message = info.cuda
        ? `PyTorch ${info.version} with CUDA on ${info.device ?? 'a GPU'}.`
        : `PyTorch ${info.version} without CUDA: training would run on the CPU, slowly.`;
      return { status: 'ok', message, value: { version: info.version, cuda: info.cuda, device: info.device } };
    } catch {
      return { status: 'error', message: `import torch printed something unexpected: ${detail}` };
    }
  }
  if (finding?.status === 'skipped') return { status: 'skipped', message: 'PyTorch not checked: no Python to ask.' };
  if (finding?.status === 'missing') {
    return {
      status: 'missing',
      message: `PyTorch is not installed for ${host.python}: install torch into that environment.`,
    };
  }
  return { status: 'error', message: `import torch failed with ${host.python}: ${detail || 'no answer'}` };
}

function gpuItem(findings: NonNullable<Finding>[]): ProbeResult['gpu'] {
  const first = findings[0];
  if (!first) return { status: 'error', message: 'The GPU check gave no answer.' };
  if (first.status === 'missing')
    return { status: 'missing', message: 'nvidia-smi not found: no NVIDIA driver on this host.' };
  if (first.status !== 'ok') return { status: 'error', message: `nvidia-smi failed: ${first.rest[0] ?? ''}` };
  const gpus = findings.map(({ rest }) => parseGpuLine(rest[0] ?? ''));
  const describe = (gpu: GpuInfo) =>
    gpu.memoryTotalMiB === null
      ? gpu.name
      : `${gpu.name} (${gib((gpu.memoryUsedMiB ?? 0) * 2 ** 20)} of ${gib(gpu.memoryTotalMiB * 2 ** 20)} used, ${gpu.utilizationPercent ?? '?'}% busy)`;
  return { status: 'ok', message: `${gpus.map(describe).join('; ')}.`, value: { gpus } };
}

/** "NVIDIA A100-SXM4-80GB, 81920 MiB, 5 MiB, 0 %": fields may read "[N/A]" on some boards. */
function parseGpuLine(line: string): GpuInfo {
  const [name = line, total, used, utilization] = line.split(',').map((field) => field.trim());
  const number = (field: string | undefined) => {
    const match = /^(\d+(?:\.\d+)?)/.exec(field ?? '');
    return match?.[1] ? Number(match[1]) : null;
  };
  return { name, memoryTotalMiB: number(total), memoryUsedMiB: number(used), utilizationPercent: number(utilization) };
}

function diskItem(finding: Finding): ProbeResult['disk'] {
  const [path = '', workDir = '', dfLine = ''] = finding?.rest ?? [];
  // df -P: "filesystem 1024-blocks used available capacity% mountpoint"
  const match = /\s(\d+)\s+(\d+)\s+(\d+)\s+\d+%\s/.exec(` ${dfLine} `);
  if (finding?.status !== 'ok' || !match?.[1] || !match[3]) {
    return { status: 'error', message: `Could not measure free disk space: ${path || 'no answer'}` };
  }
  const totalBytes = Number(match[1]) * 1024;
  const freeBytes = Number(match[3]) * 1024;
  const trim = (dir: string) => dir.replace(/(.)\/+$/, '$1');
  const where = trim(path) === trim(workDir) ? path : `${path} (${workDir} does not exist yet)`;
  return { status: 'ok', message: `${gib(freeBytes)} free in ${where}.`, value: { path, freeBytes, totalBytes } };
}

function unreachable(error: SshError): ProbeResult {
  const skipped = { status: 'skipped', message: 'Not checked: no SSH connection.' } as const;
  return summarise({
    sshFailure: error.kind,
    ssh: { status: 'error', message: error.message },
    python: skipped,
    torch: skipped,
    gpu: skipped,
    disk: skipped,
  });
}

function summarise(result: Omit<ProbeResult, 'ok' | 'message'>): ProbeResult {
  const ok = result.ssh.status === 'ok' && result.python.status === 'ok' && result.torch.status === 'ok';
  const blocking = [result.ssh, result.python, result.torch].find((item) => item.status !== 'ok');
  const message = ok
    ? `Ready to train. ${result.torch.message} ${result.disk.message}`
    : `Not ready to train: ${blocking?.message ?? ''}`;
  return { ok, message, ...result };
}

function isStatus(value: string | undefined): value is ProbeStatus {
  return value === 'ok' || value === 'missing' || value === 'error' || value === 'skipped';
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
