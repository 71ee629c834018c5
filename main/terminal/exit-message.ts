import { describeHost, type TrainerHost } from '../../shared/domain/trainer-host.js';
import { classifySshFailure } from '../remote/ssh-errors.js';

// CSI, OSC and two-byte escape sequences: what a terminal draws with, not what it says.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;

/** The last lines of a terminal's output as plain text. */
function lastLines(output: string, count: number): string[] {
  return output
    .replace(ESCAPES, '')
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-count);
}

/**
 * Why an interactive ssh ended, in the operator's terms. ssh's own failures (status 255) are
 * read from its last lines, which it writes to the same pty as the shell: only the last few are
 * looked at, so an old "Connection refused" the operator cat-ed is not taken for ssh's own.
 */
export function describeTerminalExit(host: TrainerHost, exitCode: number, signal: number, output: string): string {
  const where = describeHost(host);
  if (exitCode === 255) {
    const said = lastLines(output, 3);
    const failure = classifySshFailure(host, said.join('\n'));
    const sshLine = said.at(-1);
    const quoted = sshLine ? ` (ssh: "${sshLine}")` : '';
    return failure ? `${failure.message}${quoted}` : `ssh to ${where} ended with status 255${quoted}.`;
  }
  if (signal !== 0) return `ssh to ${where} was stopped by signal ${signal}.`;
  return `The session on ${where} ended (exit status ${exitCode}).`;
}

/**
 * The pty host process died under its sessions (a crash in native pty code, or it was killed):
 * `code` is its exit status, null when a signal ended it.
 */
export function describePtyHostLoss(code: number | null): string {
  const how = code === null ? '' : ` (exit status ${code})`;
  return `The terminal process stopped unexpectedly${how}, so this session ended; the console and the miner keep running. Open a new terminal to reconnect.`;
}
