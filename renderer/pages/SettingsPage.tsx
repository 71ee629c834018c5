import { useState, type FormEvent, type ReactElement } from 'react';
import {
  CannotJudgePolicySchema,
  DEFAULT_NETUID,
  NetworkSchema,
  type CannotJudgePolicy,
  type Network,
  type Settings,
  type SettingsPatch,
} from '../../shared/domain/settings.js';
import { Card, PageHeader } from '../components/Card.js';
import { useClient } from '../client-context.js';
import { NETWORK_LABELS } from '../format.js';
import { useSettingsStore } from '../stores/settings-store.js';
import { VlmServerControl } from '../components/VlmServerControl.js';
import { TrainerHostsCard } from '../settings/TrainerHostsCard.js';
import { TrainingSettingsForm } from '../settings/TrainingSettingsForm.js';
import { AlertSettingsForm } from '../settings/AlertSettingsForm.js';
import { useSettingsDraft, type SaveState } from '../settings/use-settings-draft.js';
import { errorMessage } from '../../shared/errors.js';
import { CheckboxField } from '../settings/CheckboxField.js';
import { SaveActions } from '../settings/SaveActions.js';

interface Draft {
  network: Network;
  endpoint: string;
  netuid: string;
  resumeOnStart: boolean;
  walletName: string;
  hotkey: string;
  walletPath: string;
  axonPort: string;
  externalIp: string;
  requireValidatorPermit: boolean;
  minStake: string;
  useCuda: boolean;
  modelDir: string;
  cannotJudge: CannotJudgePolicy;
  cascadeEnabled: boolean;
  cascadeUrl: string;
  cascadeModel: string;
  cascadeServeCommand: string;
}

function toDraft(settings: Settings): Draft {
  return {
    network: settings.chain.network,
    endpoint: settings.chain.endpoint ?? '',
    netuid: String(settings.chain.netuid),
    resumeOnStart: settings.mining.resumeOnStart,
    walletName: settings.wallet.name,
    hotkey: settings.wallet.hotkey,
    walletPath: settings.wallet.path,
    axonPort: String(settings.axon.port),
    externalIp: settings.axon.externalIp ?? '',
    requireValidatorPermit: settings.axon.requireValidatorPermit,
    minStake: String(settings.axon.minStake),
    useCuda: settings.inference.providers.includes('cuda'),
    modelDir: settings.inference.modelDir ?? '',
    cannotJudge: settings.inference.cannotJudge,
    cascadeEnabled: settings.cascade.enabled,
    cascadeUrl: settings.cascade.url ?? '',
    cascadeModel: settings.cascade.model,
    cascadeServeCommand: settings.cascade.serveCommand ?? '',
  };
}

/** Numbers go to the back end as typed: "abc" becomes NaN and the back end's check names the field. */
function toPatch(draft: Draft): SettingsPatch {
  return {
    chain: { network: draft.network, endpoint: draft.endpoint.trim() || null, netuid: Number(draft.netuid) },
    mining: { resumeOnStart: draft.resumeOnStart },
    wallet: { name: draft.walletName.trim(), hotkey: draft.hotkey.trim(), path: draft.walletPath.trim() },
    axon: {
      port: Number(draft.axonPort),
      externalIp: draft.externalIp.trim() || null,
      requireValidatorPermit: draft.requireValidatorPermit,
      minStake: Number(draft.minStake),
    },
    inference: {
      providers: draft.useCuda ? ['cuda', 'cpu'] : ['cpu'],
      modelDir: draft.modelDir.trim() || null,
      cannotJudge: draft.cannotJudge,
    },
    cascade: {
      enabled: draft.cascadeEnabled,
      url: draft.cascadeUrl.trim() || null,
      model: draft.cascadeModel.trim(),
      serveCommand: draft.cascadeServeCommand.trim() || null,
    },
  };
}

export function SettingsPage(): ReactElement {
  const settings = useSettingsStore((store) => store.settings);
  return (
    <>
      <PageHeader title="Settings" subtitle="Saved on the back end's disk before they apply." />
      {settings ? <SettingsForm settings={settings} /> : <p className="muted">Loading settings…</p>}
    </>
  );
}

function SettingsForm({ settings }: { settings: Settings }): ReactElement {
  const client = useClient();
  const { draft, set, settle } = useSettingsDraft(settings, toDraft);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSave({ kind: 'saving' });
    try {
      settle(await client.call('settings.update', toPatch(draft)));
      setSave({ kind: 'saved' });
    } catch (error) {
      setSave({ kind: 'error', message: errorMessage(error) });
    }
  };

  const setTheme = (theme: Settings['ui']['theme']): void => {
    client
      .call('settings.update', { ui: { theme } })
      .catch((error: unknown) => setSave({ kind: 'error', message: errorMessage(error) }));
  };

  return (
    <div className="cards">
      <Card title="Appearance" wide>
        <fieldset className="segmented">
          <legend>Theme</legend>
          {(['system', 'dark', 'light'] as const).map((theme) => (
            <label key={theme}>
              <input
                type="radio"
                name="theme"
                value={theme}
                checked={settings.ui.theme === theme}
                onChange={() => setTheme(theme)}
              />
              <span>{theme[0]!.toUpperCase() + theme.slice(1)}</span>
            </label>
          ))}
        </fieldset>
      </Card>
      <form
        className="card card-wide settings-form"
        aria-label="Miner settings"
        onSubmit={(event) => void submit(event)}
      >
        <h2>Chain</h2>
        <label>
          Network
          <select
            value={draft.network}
            onChange={(event) => {
              const network = NetworkSchema.parse(event.target.value);
              set({ network, netuid: String(DEFAULT_NETUID[network]) });
            }}
          >
            {NetworkSchema.options.map((network) => (
              <option key={network} value={network}>
                {NETWORK_LABELS[network]}
              </option>
            ))}
          </select>
        </label>
        {draft.network === 'custom' && (
          <label>
            Endpoint
            <input
              value={draft.endpoint}
              placeholder="ws://127.0.0.1:9944"
              onChange={(event) => set({ endpoint: event.target.value })}
            />
          </label>
        )}
        <label>
          Netuid
          <input inputMode="numeric" value={draft.netuid} onChange={(event) => set({ netuid: event.target.value })} />
        </label>
        <CheckboxField checked={draft.resumeOnStart} onChange={(resumeOnStart) => set({ resumeOnStart })}>
          Resume mining on start
        </CheckboxField>
        <p className="muted">
          After a crash, a reboot or a restart, serve again by itself if it was serving on this network and nobody
          pressed Stop.
        </p>
        <h2>Wallet</h2>
        <p className="muted">
          The miner reads only the hotkey. The coldkey is never opened unless you start a coldkey action.
        </p>
        <label>
          Wallet name
          <input value={draft.walletName} onChange={(event) => set({ walletName: event.target.value })} />
        </label>
        <label>
          Hotkey
          <input value={draft.hotkey} onChange={(event) => set({ hotkey: event.target.value })} />
        </label>
        <label>
          Wallets folder
          <input value={draft.walletPath} onChange={(event) => set({ walletPath: event.target.value })} />
        </label>
        <h2>Axon</h2>
        <label>
          Port
          <input
            name="axon-port"
            inputMode="numeric"
            value={draft.axonPort}
            onChange={(event) => set({ axonPort: event.target.value })}
          />
        </label>
        <label>
          External IPv4
          <input
            value={draft.externalIp}
            placeholder="your public IP: the chain advertises it (serve_axon)"
            onChange={(event) => set({ externalIp: event.target.value })}
          />
        </label>
        <CheckboxField
          checked={draft.requireValidatorPermit}
          onChange={(requireValidatorPermit) => set({ requireValidatorPermit })}
        >
          Answer only callers with a validator permit
        </CheckboxField>
        <label>
          Minimum caller stake (TAO)
          <input
            inputMode="decimal"
            value={draft.minStake}
            onChange={(event) => set({ minStake: event.target.value })}
          />
        </label>
        <h2>Inference</h2>
        <CheckboxField checked={draft.useCuda} onChange={(useCuda) => set({ useCuda })}>
          Use the GPU (CUDA) when it loads, else the CPU
        </CheckboxField>
        <label>
          Model folder
          <input
            value={draft.modelDir}
            placeholder="the default model shipped with the console"
            onChange={(event) => set({ modelDir: event.target.value })}
          />
        </label>
        <label>
          When an image cannot be judged
          <select
            value={draft.cannotJudge}
            onChange={(event) => set({ cannotJudge: CannotJudgePolicySchema.parse(event.target.value) })}
          >
            <option value="abstain">Answer -1 (no answer)</option>
            <option value="prior">Answer 0.5 (a guess)</option>
          </select>
        </label>
        <p className="muted">
          Undecodable, failed or late: -1 forfeits that one reward; a wrong 0.5 stays in the validators&apos; windows
          for 100 answers and costs about twice as much.
        </p>
        <h2>Second stage</h2>
        <CheckboxField checked={draft.cascadeEnabled} onChange={(cascadeEnabled) => set({ cascadeEnabled })}>
          Ask a vision-language model when the first stage is unsure
        </CheckboxField>
        <label>
          API (OpenAI-compatible, e.g. vLLM)
          <input
            value={draft.cascadeUrl}
            placeholder="http://127.0.0.1:8000/v1"
            onChange={(event) => set({ cascadeUrl: event.target.value })}
          />
        </label>
        <label>
          Model
          <input value={draft.cascadeModel} onChange={(event) => set({ cascadeModel: event.target.value })} />
        </label>
        <label>
          Serve command (optional: the console runs and supervises it)
          <input
            value={draft.cascadeServeCommand}
            placeholder="vllm serve Qwen/Qwen2.5-VL-7B-Instruct --port 8000 --max-model-len 8192"
            spellCheck={false}
            onChange={(event) => set({ cascadeServeCommand: event.target.value })}
          />
        </label>
        <VlmServerControl />
        <SaveActions label="Save" save={save} />
      </form>
      <TrainerHostsCard settings={settings} />
      <TrainingSettingsForm settings={settings} />
      <AlertSettingsForm settings={settings} />
    </div>
  );
}
