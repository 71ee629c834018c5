import type { Disposable } from '../../shared/contract.js';
import type { MinerState, MinerStatus } from '../../shared/domain/miner.js';
import type { Settings } from '../../shared/domain/settings.js';
import { Emitter } from '../base/emitter.js';
import type { SettingsService } from '../settings/settings-service.js';

/**
 * Owns the miner's lifecycle and reports it. Until the axon lands (issue 4) the miner can only be
 * stopped; its status already follows the settings it will serve with.
 */
export class MinerService {
  private readonly onDidChangeEmitter = new Emitter<MinerStatus>();
  private readonly settingsListener: Disposable;
  private state: MinerState = 'stopped';
  private since = new Date().toISOString();
  private message = 'Mining arrives in a later version of the console.';
  private status: MinerStatus;

  readonly onDidChange = this.onDidChangeEmitter.event;

  constructor(settings: SettingsService) {
    this.status = this.compose(settings.get());
    this.settingsListener = settings.onDidChange((next) => {
      this.status = this.compose(next);
      this.onDidChangeEmitter.fire(this.status);
    });
  }

  getStatus(): MinerStatus {
    return this.status;
  }

  /** The current status at once, then every change. */
  stream(emit: (status: MinerStatus) => void): Disposable {
    emit(this.status);
    return this.onDidChange(emit);
  }

  dispose(): void {
    this.settingsListener.dispose();
    this.onDidChangeEmitter.dispose();
  }

  private compose(settings: Settings): MinerStatus {
    return {
      state: this.state,
      message: this.message,
      network: settings.chain.network,
      netuid: settings.chain.netuid,
      axonPort: settings.axon.port,
      wallet: { name: settings.wallet.name, hotkey: settings.wallet.hotkey },
      since: this.since,
    };
  }
}
