import type { ReactElement } from 'react';
import { Card, Field, PageHeader } from '../components/Card.js';
import { HealthChart } from '../components/HealthChart.js';
import { LogView } from '../components/LogView.js';
import { MinerControl } from '../components/MinerControl.js';
import { RankSummary } from '../components/RankSummary.js';
import { AlertsCard } from '../alerts/AlertsCard.js';
import { EarningsCard } from '../earnings/EarningsCard.js';
import { useMetagraphStore } from '../stores/metagraph-store.js';
import { formatDuration, NETWORK_LABELS } from '../format.js';
import { useAppStore } from '../stores/app-store.js';
import { useLogStore } from '../stores/log-store.js';
import { useMinerStore } from '../stores/miner-store.js';

export function OverviewPage(): ReactElement {
  const status = useMinerStore((store) => store.status);
  const info = useAppStore((store) => store.info);
  const metrics = useAppStore((store) => store.metrics);
  const entries = useLogStore((store) => store.entries);
  const latest = metrics.at(-1);
  const metagraph = useMetagraphStore((store) => store.view);

  return (
    <>
      <PageHeader title="Overview" subtitle="The miner, its network and the back end at a glance." />
      <div className="cards">
        <AlertsCard />
        <Card title="Miner">
          {status ? (
            <>
              <p className={`state state-${status.state}`} data-testid="miner-state">
                {status.state}
              </p>
              <p className="muted" data-testid="miner-message">
                {status.message}
              </p>
              <MinerControl status={status} />
            </>
          ) : (
            <p className="muted">Waiting for the back end…</p>
          )}
        </Card>
        <Card title="Rank">
          <RankSummary view={metagraph} />
        </Card>
        <EarningsCard />
        <Card title="Network">
          {status && (
            <dl>
              <Field label="Network">
                <span data-testid="network">{NETWORK_LABELS[status.network]}</span>
              </Field>
              <Field label="Netuid">{status.netuid}</Field>
              <Field label="Axon port">{status.axonPort}</Field>
            </dl>
          )}
        </Card>
        <Card title="Serving">
          {status && (
            <dl>
              <Field label="Answers / min">
                <span data-testid="per-minute">{status.stats.perMinute}</span>
              </Field>
              <Field label="Latency p50 / p99">
                {status.stats.latencyP50Ms === null
                  ? '—'
                  : `${status.stats.latencyP50Ms} / ${status.stats.latencyP99Ms ?? '—'} ms`}
              </Field>
              <Field label="Answered">{status.stats.answered}</Field>
              <Field label="Refused / errors">
                {status.stats.refused} / {status.stats.errors}
              </Field>
              <Field label="Not judged (answered by policy)">
                <span data-testid="unjudged">{status.stats.unjudged}</span>
              </Field>
              <Field label="Model">
                {status.model
                  ? `${status.model.name} ${status.model.version} · ${status.provider?.toUpperCase() ?? ''}`
                  : '—'}
              </Field>
            </dl>
          )}
        </Card>
        <Card title="Wallet">
          {status && (
            <dl>
              <Field label="Wallet">{status.wallet.name}</Field>
              <Field label="Hotkey">{status.wallet.hotkey}</Field>
              <Field label="Address">
                <span className="mono">
                  {status.hotkeyAddress ? `${status.hotkeyAddress.slice(0, 8)}…${status.hotkeyAddress.slice(-6)}` : '—'}
                </span>
              </Field>
            </dl>
          )}
        </Card>
        <Card title="Back end">
          {info && (
            <dl>
              <Field label="Version">{info.version}</Field>
              <Field label="Host">{info.host === 'electron' ? 'Desktop app' : 'Headless'}</Field>
              <Field label="Uptime">
                <span data-testid="uptime">{latest ? formatDuration(latest.uptimeS) : '—'}</span>
              </Field>
              <Field label="Memory">{latest ? `${latest.rssMb} MB` : '—'}</Field>
            </dl>
          )}
        </Card>
        <Card title="Back-end health" wide>
          <HealthChart samples={metrics} />
        </Card>
        <Card title="Log" wide>
          <LogView entries={entries} limit={40} />
        </Card>
      </div>
    </>
  );
}
