import { useEffect, useRef, useState, type ReactElement } from 'react';
import { useClient } from '../client-context.js';
import { errorMessage } from '../../shared/errors.js';

/** How often the log of a run under way is read again. */
const REFRESH_MS = 2000;

/**
 * The last lines of a run's log (the trainer's stderr and the console's own steps): read again
 * every two seconds while the run is under way, once more when it ends. Scrolled to the end
 * unless the operator scrolled up to read.
 */
export function RunLog({ runId, live }: { runId: string; live: boolean }): ReactElement {
  const client = useClient();
  const [lines, setLines] = useState<readonly string[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    let stopped = false;
    const read = (): void => {
      client.call('training.log', { id: runId, lines: 500 }).then(
        (log) => {
          if (stopped) return;
          setLines(log.lines);
          setFailure(null);
        },
        (error: unknown) => {
          if (!stopped) setFailure(errorMessage(error));
        },
      );
    };
    read();
    const timer = live ? setInterval(read, REFRESH_MS) : undefined;
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client, runId, live]);

  // Follow the tail, as a terminal does, unless the operator scrolled away from it.
  const atEnd = useRef(true);
  useEffect(() => {
    const element = box.current;
    if (element && atEnd.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

  return (
    <section className="run-log" aria-label="Log">
      <h3>Log</h3>
      {failure && <p className="form-error">{failure}</p>}
      {lines === null ? (
        <p className="muted">Reading the log…</p>
      ) : lines.length === 0 ? (
        <p className="muted">Nothing logged yet.</p>
      ) : (
        <pre
          ref={box}
          className="run-log-lines"
          data-testid="run-log"
          tabIndex={0}
          onScroll={(event) => {
            const element = event.currentTarget;
            atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight < 8;
          }}
        >
          {lines.join('\n')}
        </pre>
      )}
    </section>
  );
}
