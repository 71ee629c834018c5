import { useState, type ReactElement } from 'react';
import type { Settings } from '../../shared/domain/settings.js';
import { describeHost, type TrainerHost } from '../../shared/domain/trainer-host.js';
import { useClient } from '../client-context.js';
import { HostForm } from './HostForm.js';
import { HostKeyCheck } from './HostKeyCheck.js';
import { HostProbeCheck } from './HostProbeCheck.js';
import { EMPTY_HOST_DRAFT, hostToDraft, newHostId } from './host-draft.js';
import { errorMessage } from '../../shared/errors.js';
import { FailureNote } from '../components/FailureNote.js';

type Editing = { kind: 'none' } | { kind: 'add' } | { kind: 'edit'; id: string };

/**
 * The GPU boxes the console trains on. Every change (add, edit, remove, default) is saved at
 * once through settings.update, so what the list shows is what is on disk.
 */
export function TrainerHostsCard({ settings }: { settings: Settings }): ReactElement {
  const client = useClient();
  const { hosts, defaultHostId } = settings.training;
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [failure, setFailure] = useState<string | null>(null);
  const effectiveDefault = defaultHostId ?? hosts[0]?.id ?? null;

  const save = async (next: TrainerHost[], nextDefault: string | null): Promise<void> => {
    await client.call('settings.update', { training: { hosts: next, defaultHostId: nextDefault } });
  };
  const saveOrReport = (next: TrainerHost[], nextDefault: string | null): void => {
    setFailure(null);
    save(next, nextDefault).catch((error: unknown) => setFailure(errorMessage(error)));
  };

  const editedHost = editing.kind === 'edit' ? hosts.find((host) => host.id === editing.id) : undefined;
  return (
    <section className="card card-wide trainer-hosts" aria-label="Trainer hosts">
      <h2>Trainer hosts</h2>
      <p className="muted">
        GPU boxes reached over SSH. The console keeps its own known_hosts: check and trust each host&apos;s key once.
      </p>
      {hosts.length === 0 && <p>No trainer host yet.</p>}
      <ul className="host-list">
        {hosts.map((host) => (
          <li key={host.id} className="host-row" data-testid={`trainer-host-${host.id}`} aria-label={host.name}>
            <div className="host-summary">
              <strong>{host.name}</strong>
              <span className="mono">{describeHost(host)}</span>
              {host.id === effectiveDefault && <span className="badge">Default</span>}
              <span className="muted">
                {host.keyFile === null ? 'ssh agent' : `key ${host.keyFile}`} · {host.workDir} · {host.python}
              </span>
            </div>
            <div className="host-actions">
              <button type="button" className="button-stop" onClick={() => setEditing({ kind: 'edit', id: host.id })}>
                Edit
              </button>
              {host.id !== effectiveDefault && (
                <button type="button" className="button-stop" onClick={() => saveOrReport(hosts, host.id)}>
                  Make default
                </button>
              )}
              <RemoveHost
                name={host.name}
                onRemove={() =>
                  saveOrReport(
                    hosts.filter((other) => other.id !== host.id),
                    defaultHostId === host.id ? null : defaultHostId,
                  )
                }
              />
            </div>
            {editing.kind === 'edit' && editing.id === host.id && editedHost && (
              <HostForm
                title={`Edit ${host.name}`}
                id={host.id}
                initial={hostToDraft(editedHost)}
                onSave={async (edited) => {
                  await save(
                    hosts.map((other) => (other.id === host.id ? edited : other)),
                    defaultHostId,
                  );
                  setEditing({ kind: 'none' });
                }}
                onCancel={() => setEditing({ kind: 'none' })}
              />
            )}
            <div className="host-checks">
              <HostKeyCheck hostId={host.id} hostLabel={describeHost(host)} />
              <HostProbeCheck hostId={host.id} />
            </div>
          </li>
        ))}
      </ul>
      {editing.kind === 'add' ? (
        <HostForm
          title="Add a host"
          id="new-host"
          initial={EMPTY_HOST_DRAFT}
          onSave={async (host) => {
            const id = newHostId(
              host.name,
              hosts.map((other) => other.id),
            );
            await save([...hosts, { ...host, id }], defaultHostId);
            setEditing({ kind: 'none' });
          }}
          onCancel={() => setEditing({ kind: 'none' })}
        />
      ) : (
        <button type="button" onClick={() => setEditing({ kind: 'add' })}>
          Add a host
        </button>
      )}
      <FailureNote failure={failure} />
    </section>
  );
}

/** Removing asks once more: the host's runs keep their label, but new runs can no longer go there. */
function RemoveHost({ name, onRemove }: { name: string; onRemove: () => void }): ReactElement {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="button-stop" onClick={() => setConfirming(true)}>
        Remove…
      </button>
    );
  }
  return (
    <span role="group" aria-label={`Remove ${name}?`} className="confirm-inline">
      Remove {name}?
      <button type="button" className="button-danger" onClick={onRemove}>
        Remove
      </button>
      <button type="button" className="button-stop" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  );
}
