/**
 * The hotkey a publication and a NATIX registration are signed with: the wallet's in Settings.
 * On the local subnet, the console's own local hotkey when no wallet is set — a rehearsal. Only
 * the hotkey file is read; never the coldkey.
 */
import type { Settings } from '../../shared/domain/settings.js';
import { ensureLocalHotkey } from '../wallet/local-hotkey.js';
import { loadHotkey, WalletError, type Hotkey } from '../wallet/hotkey-file.js';

export interface PublishingHotkey {
  hotkey: Hotkey;
  /** On the local subnet: nothing real is submitted. */
  rehearsal: boolean;
}

export async function publishingHotkey(settings: Settings, dataDir: string): Promise<PublishingHotkey> {
  const location = { walletsPath: settings.wallet.path, wallet: settings.wallet.name, hotkey: settings.wallet.hotkey };
  const rehearsal = settings.chain.network === 'local';
  try {
    return { hotkey: await loadHotkey(location), rehearsal };
  } catch (error) {
    if (!rehearsal || !(error instanceof WalletError) || error.problem !== 'missing') throw error;
    return { hotkey: await loadHotkey(await ensureLocalHotkey(dataDir)), rehearsal };
  }
}
