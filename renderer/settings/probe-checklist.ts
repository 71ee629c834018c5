import type { HostProbe } from '../../shared/domain/training.js';

export type CheckStatus = HostProbe['ssh']['status'];

export interface CheckRow {
  id: 'ssh' | 'python' | 'torch' | 'cuda' | 'gpu' | 'disk';
  label: string;
  status: CheckStatus;
  message: string;
}

/**
 * "Test connection" as a checklist in the order a job needs them. The probe reports CUDA inside
 * PyTorch's finding ("PyTorch 2.x with CUDA on …" / "… without CUDA"); it gets a row of its own
 * because it is what decides between hours and days of training.
 */
export function probeChecklist(probe: HostProbe): CheckRow[] {
  return [
    { id: 'ssh', label: 'ssh', ...probe.ssh },
    { id: 'python', label: 'Python', ...probe.python },
    { id: 'torch', label: 'PyTorch', ...probe.torch },
    { id: 'cuda', label: 'CUDA', ...cudaFinding(probe.torch) },
    { id: 'gpu', label: 'GPU', ...probe.gpu },
    { id: 'disk', label: 'Disk', ...probe.disk },
  ];
}

function cudaFinding(torch: HostProbe['torch']): Pick<CheckRow, 'status' | 'message'> {
  if (torch.status !== 'ok') return { status: 'skipped', message: 'Not checked: PyTorch is not usable.' };
  if (/without CUDA/i.test(torch.message)) {
    return { status: 'missing', message: 'PyTorch cannot use CUDA here: training runs on the CPU.' };
  }
  return { status: 'ok', message: 'PyTorch can use CUDA.' };
}

export const CHECK_MARKS: Record<CheckStatus, string> = {
  ok: '✓',
  missing: '✗',
  error: '✗',
  skipped: '–',
};
