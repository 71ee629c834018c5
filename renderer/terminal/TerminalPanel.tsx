import { useCallback, useState, type ReactElement } from 'react';
import type { TerminalSession } from '../../shared/domain/terminal.js';
import { useStream } from '../api/use-stream.js';
import { useClient } from '../client-context.js';
import { FailureNote } from '../components/FailureNote.js';
import { errorMessage } from '../../shared/errors.js';
import { useSettingsStore } from '../stores/settings-store.js';
import { TerminalView } from './TerminalView.js';

/**
 * Terminals to the trainer hosts, one tab per session. The sessions live in the back end, so
 * the tabs (from the terminal.sessions stream) come back when the page is opened again, and follow
 * what other consoles open and close.
 */
export function TerminalPanel(): ReactElement {
  const client = useClient();
  const training = useSettingsStore((store) => store.settings?.training);
  const hosts = training?.hosts ?? [];
  const [sessions, setSessions] = useState<TerminalSession[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [hostId, setHostId] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  // The list as the back end holds it, live: a tab opened, ended or closed in another console shows here too.
  const streamFailure = useStream('terminal.sessions', {}, (events) => {
    const list = events.at(-1)!;
    setSessions(list);
    setActiveId((current) =>
      current !== null && list.some((session) => session.id === current) ? current : (list.at(-1)?.id ?? null),
    );
  });

  const chosenHost = hostId || training?.defaultHostId || hosts[0]?.id || '';
  const open = (): void => {
    setBusy(true);
    setFailure(null);
    // The real size follows as soon as the screen is laid out.
    client
      .call('terminal.open', { hostId: chosenHost, cols: 80, rows: 24 })
      .then(
        (session) => {
          // The stream may have brought it already.
          setSessions((list) => (list.some((known) => known.id === session.id) ? list : [...list, session]));
          setActiveId(session.id);
        },
        (error: unknown) => setFailure(errorMessage(error)),
      )
      .finally(() => setBusy(false));
  };

  const close = (id: string): void => {
    client.call('terminal.close', { id }).then(
      () => {
        const rest = sessions.filter((session) => session.id !== id);
        setSessions(rest);
        if (activeId === id) setActiveId(rest.at(-1)?.id ?? null);
      },
      (error: unknown) => setFailure(errorMessage(error)),
    );
  };

  const markExited = useCallback((id: string, message: string) => {
    setSessions((list) =>
      list.map((session) => (session.id === id ? { ...session, state: 'exited', exitMessage: message } : session)),
    );
  }, []);

  return (
    <section className="card card-wide terminal-panel" aria-label="Terminals">
      <div className="terminal-bar">
        <h2>Terminal</h2>
        <div className="terminal-tabs" role="tablist" aria-label="Terminal sessions">
          {sessions.map((session) => (
            <div key={session.id} className={`terminal-tab${session.state === 'exited' ? ' exited' : ''}`}>
              <button
                type="button"
                role="tab"
                id={`tab-${session.id}`}
                aria-selected={session.id === activeId}
                aria-controls={`panel-${session.id}`}
                onClick={() => setActiveId(session.id)}
              >
                {session.title}
                {session.state === 'exited' ? ' (ended)' : ''}
              </button>
              <button
                type="button"
                className="terminal-close"
                aria-label={`Close ${session.title}`}
                onClick={() => close(session.id)}
              >
                ×
              </button>
            </div>
          ))}
        </div>
        {hosts.length > 0 && (
          <div className="terminal-open">
            <select aria-label="Trainer host" value={chosenHost} onChange={(event) => setHostId(event.target.value)}>
              {hosts.map((host) => (
                <option key={host.id} value={host.id}>
                  {host.name}
                </option>
              ))}
            </select>
            <button type="button" aria-label="Open a terminal" title="Open a terminal" disabled={busy} onClick={open}>
              +
            </button>
          </div>
        )}
      </div>
      <FailureNote failure={failure ?? streamFailure} />
      {hosts.length === 0 && sessions.length === 0 && (
        <p>Add a trainer host in Settings (Trainer hosts) to open a terminal to it.</p>
      )}
      {sessions.map((session) => (
        <div
          key={session.id}
          role="tabpanel"
          id={`panel-${session.id}`}
          aria-labelledby={`tab-${session.id}`}
          className="terminal-page"
          hidden={session.id !== activeId}
        >
          <TerminalView id={session.id} visible={session.id === activeId} onExit={markExited} />
          {session.exitMessage !== null && (
            <p className="terminal-exit" role="status">
              {session.exitMessage}
            </p>
          )}
        </div>
      ))}
    </section>
  );
}
