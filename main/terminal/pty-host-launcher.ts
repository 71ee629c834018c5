import { forkHelper, type ChildHandle } from '../base/child-handle.js';

export type PtyHostLauncher = () => ChildHandle;

/** Headless: a Node child process (Electron's shell launches the same module as a utilityProcess). */
export const forkPtyHost: PtyHostLauncher = () =>
  forkHelper(new URL('./pty-host.js', import.meta.url), new URL('./pty-host-main.ts', import.meta.url));
