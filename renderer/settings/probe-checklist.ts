import type { HostProbe } from '../../shared/domain/training.js';

export type CheckStatus = HostProbe['ssh']['status'];

export interface CheckRow {
  id: 'ssh' | 'python' | 'torch' | 'cuda' | 'gpu' | 'disk';
  label: string;
  status: CheckStatus;
  message: string;
}

/** "Test connection" as a checklist, in the order a job needs them. */
export function probeChecklist(probe: HostProbe): CheckRow[] {
  return [
    { id: 'ssh', label: 'ssh', ...probe.ssh },
    { id: 'python', label: 'Python', ...probe.python },
    { id: 'torch', label: 'PyTorch', ...probe.torch },
    { id: 'cuda', label: 'CUDA', ...probe.cuda },
    { id: 'gpu', label: 'GPU', ...probe.gpu },
    { id: 'disk', label: 'Disk', ...probe.disk },
  ];
}

export const CHECK_MARKS: Record<CheckStatus, string> = {
  ok: '✓',
  missing: '✗',
  error: '✗',
  skipped: '–',
};
