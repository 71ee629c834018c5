/*
 * Quoting for the remote side. ssh joins its command arguments with spaces and hands the result to
 * the remote user's login shell, so every argument we send must survive one round of POSIX sh
 * parsing. Single quotes turn off every expansion; a single quote itself is closed, escaped, reopened.
 */

/** Words that need no quotes: nothing a POSIX shell would expand, split or glob. */
const SAFE_WORD = /^[A-Za-z0-9_/.,:=+@%-]+$/;

/** One argument, quoted so that the remote sh sees exactly `value`. */
export function shellQuote(value: string): string {
  // A NUL cannot reach a process's argv at all; failing here beats sending a truncated argument.
  if (value.includes('\0')) throw new Error('A shell argument cannot contain a NUL byte.');
  if (SAFE_WORD.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A whole command line from separate arguments, each quoted. */
export function shellCommand(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}

/**
 * A remote path as a shell word. "~" and "~/..." are the remote user's home, which only the remote
 * shell knows, so the home part stays outside the quotes as "$HOME" (quoted against spaces in it).
 */
export function quoteRemotePath(path: string): string {
  if (path === '~') return '"$HOME"';
  if (path.startsWith('~/')) return `"$HOME"/${shellQuote(path.slice(2))}`;
  return shellQuote(path);
}
