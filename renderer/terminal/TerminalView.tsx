import { useEffect, useRef, type ReactElement } from 'react';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { TERMINAL_MAX_INPUT } from '../../shared/domain/terminal.js';
import { useStream } from '../api/use-stream.js';
import { useClient } from '../client-context.js';
import { FailureNote } from '../components/FailureNote.js';
import { cspSafeDocument, whileCspSafe } from './csp-safe-document.js';

const utf8 = new TextEncoder();
const ignore = (): undefined => undefined;

/**
 * One session's screen: xterm.js attached to the back end's session. It holds no terminal state
 * of its own beyond xterm's buffer: on mount it gets the screen back from the scrollback replay,
 * keystrokes go to terminal.input, size changes to terminal.resize, and each write into xterm
 * is acked once xterm has taken it, which is what lets the back end read on from the host.
 */
export function TerminalView({
  id,
  visible,
  onExit,
}: {
  id: string;
  visible: boolean;
  onExit: (id: string, message: string) => void;
}): ReactElement {
  const client = useClient();
  const screenRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);

  useEffect(() => {
    const screen = screenRef.current;
    if (!screen) return;
    const term = new Terminal({
      documentOverride: cspSafeDocument(screen.ownerDocument),
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      theme: { background: '#0b0e12' },
    });
    termRef.current = term;
    const fit = new FitAddon();
    term.loadAddon(fit);
    whileCspSafe(screen.ownerDocument, () => term.open(screen));

    // In order, in pieces the contract accepts (a large paste).
    let sending = Promise.resolve();
    const typed = term.onData((data) => {
      for (let at = 0; at < data.length; at += TERMINAL_MAX_INPUT / 4) {
        const piece = data.slice(at, at + TERMINAL_MAX_INPUT / 4);
        sending = sending.then(() => client.call('terminal.input', { id, data: piece }).then(ignore, ignore));
      }
    });

    let sentSize = '';
    const resize = (): void => {
      // A hidden tab has no size: fit it when it is shown.
      if (screen.clientWidth === 0 || screen.clientHeight === 0) return;
      fit.fit();
      const size = `${term.cols}x${term.rows}`;
      if (size === sentSize) return;
      sentSize = size;
      void client.call('terminal.resize', { id, cols: term.cols, rows: term.rows }).then(ignore, ignore);
    };
    const observer = new ResizeObserver(resize);
    observer.observe(screen);

    return () => {
      observer.disconnect();
      typed.dispose();
      term.dispose();
      termRef.current = null;
    };
  }, [client, id]);

  // Subscribed after the screen above is made, and again whenever it is made anew (the same
  // client and id): each new screen gets the scrollback replay.
  const failure = useStream('terminal.output', { id }, (events) => {
    const term = termRef.current;
    if (!term) return;
    for (const event of events) {
      if (event.data !== '') {
        const bytes = utf8.encode(event.data).length;
        term.write(event.data, () => void client.call('terminal.ack', { id, bytes }).then(ignore, ignore));
      }
      if (event.exited !== undefined) onExit(id, event.exited);
    }
  });

  useEffect(() => {
    if (visible) termRef.current?.focus();
  }, [visible]);

  return (
    <>
      <div className="terminal-screen" ref={screenRef} data-testid={`terminal-screen-${id}`} />
      <FailureNote failure={failure} />
    </>
  );
}
