import type { CommandHandlers } from '../../shared/contract.js';
import { ApiError, errorMessage } from '../../shared/errors.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';
import type { HostKeyStatus, HostProbe } from '../../shared/domain/training.js';
import type { SettingsService } from '../settings/settings-service.js';
import { checkHostKey, forgetHostKey, HostKeyChangedError, trustHostKey } from '../remote/known-hosts.js';
import { probeHost, type ProbeResult } from './probe.js';
import { SshClient } from '../remote/ssh-client.js';

/**
 * The trainer hosts of the settings, as the console reaches them: the console's own known_hosts
 * (never the operator's ~/.ssh/known_hosts, which it does not write), the host-key approval, and
 * "Test connection".
 */
export class TrainerHosts {
  readonly ssh: SshClient;

  constructor(
    private readonly settings: SettingsService,
    readonly knownHostsPath: string,
  ) {
    this.ssh = new SshClient({ knownHostsPath });
  }

  /** The host with this id, or the default one; a clear refusal when there is none. */
  resolve(hostId?: string): TrainerHost {
    const { hosts, defaultHostId } = this.settings.get().training;
    const id = hostId ?? defaultHostId ?? hosts[0]?.id;
    const host = hosts.find((candidate) => candidate.id === id);
    if (host) return host;
    throw new ApiError(
      'failed',
      hosts.length === 0
        ? 'No trainer host yet: add one in Settings (Trainer hosts).'
        : `No trainer host "${String(id)}" in Settings.`,
    );
  }

  async keyStatus(hostId: string): Promise<HostKeyStatus> {
    const host = this.resolve(hostId);
    try {
      const check = await checkHostKey(this.knownHostsPath, host.host, host.port);
      if (check.state === 'new') return { state: 'new', fingerprint: check.fingerprint, message: check.message };
      return check;
    } catch (error) {
      return { state: 'unreachable', message: errorMessage(error) };
    }
  }

  /**
   * Trusts what the host presents now, but only when it is the key the operator was shown: a
   * key swapped between the look and the click is not trusted.
   */
  async trust(hostId: string, fingerprint: string): Promise<HostKeyStatus> {
    const host = this.resolve(hostId);
    let check: Awaited<ReturnType<typeof checkHostKey>>;
    try {
      check = await checkHostKey(this.knownHostsPath, host.host, host.port);
    } catch (error) {
      return { state: 'unreachable', message: errorMessage(error) };
    }
    if (check.state === 'trusted') return check;
    if (check.state === 'changed') throw new ApiError('failed', check.message);
    if (check.fingerprint !== fingerprint) {
      throw new ApiError(
        'failed',
        `The host now presents ${check.fingerprint}, not the ${fingerprint} you approved: not trusted. Check the host again.`,
      );
    }
    try {
      await trustHostKey(this.knownHostsPath, host.host, host.port, check.keys);
    } catch (error) {
      if (error instanceof HostKeyChangedError) throw new ApiError('failed', error.message);
      throw error;
    }
    return this.keyStatus(hostId);
  }

  async forget(hostId: string): Promise<HostKeyStatus> {
    const host = this.resolve(hostId);
    await forgetHostKey(this.knownHostsPath, host.host, host.port);
    return this.keyStatus(hostId);
  }

  async test(hostId: string): Promise<HostProbe> {
    const result = await probeHost(this.ssh, this.resolve(hostId));
    const item = (finding: { status: HostProbe['ssh']['status']; message: string }) => ({
      status: finding.status,
      message: finding.message,
    });
    return {
      ok: result.ok,
      message: result.message,
      sshFailure: result.sshFailure,
      ssh: item(result.ssh),
      python: item(result.python),
      torch: item(result.torch),
      cuda: cudaFinding(result.torch),
      gpu: item(result.gpu),
      disk: item(result.disk),
    };
  }

  handlers(): CommandHandlers<
    'training.testHost' | 'training.hostKey' | 'training.trustHostKey' | 'training.forgetHostKey'
  > {
    return {
      'training.testHost': ({ hostId }) => this.test(hostId),
      'training.hostKey': ({ hostId }) => this.keyStatus(hostId),
      'training.trustHostKey': ({ hostId, fingerprint }) => this.trust(hostId, fingerprint),
      'training.forgetHostKey': ({ hostId }) => this.forget(hostId),
    };
  }
}

/** CUDA as PyTorch on the box sees it, from the probe's structured finding. */
function cudaFinding(torch: ProbeResult['torch']): HostProbe['cuda'] {
  if (torch.status !== 'ok') return { status: 'skipped', message: 'Not checked: PyTorch is not usable.' };
  if (!torch.value.cuda)
    return { status: 'missing', message: 'PyTorch cannot use CUDA here: training runs on the CPU.' };
  return { status: 'ok', message: `PyTorch can use CUDA${torch.value.device ? ` (${torch.value.device})` : ''}.` };
}
