import { describeHost, type TrainerHost } from '../../shared/domain/trainer-host.js';

/*
 * ssh reports its own failures on stderr with exit status 255. These are the ones an operator meets
 * when setting up a training box, turned into what to do about them. ssh's stderr never holds
 * private key material (only paths and fingerprints), and neither do these messages.
 */

export type SshFailureKind =
  | 'host-key-changed'
  | 'host-key-unknown'
  | 'auth-failed'
  | 'key-file'
  | 'refused'
  | 'timeout'
  | 'unresolved'
  | 'unreachable'
  | 'disconnected'
  | 'command-timeout'
  | 'ssh-failed';

export class SshError extends Error {
  override readonly name = 'SshError';
  constructor(
    readonly kind: SshFailureKind,
    message: string,
    /** ssh's own words, for a details pane. */
    readonly detail = '',
  ) {
    super(message);
  }
}

/** The fingerprint ssh printed for the key the remote host sent, if it printed one. */
export function presentedFingerprint(stderr: string): string | null {
  return /key sent by the remote host is\s+(SHA256:[A-Za-z0-9+/]+)/.exec(stderr)?.[1] ?? null;
}

/**
 * Recognises ssh's failure in its stderr; null when the text is not one of ssh's own (then a 255
 * is the remote command's exit status). 'host-key-changed' is recognised here but its message is
 * written by the client, which knows the trusted fingerprint.
 */
export function classifySshFailure(host: TrainerHost, stderr: string): SshError | null {
  const where = describeHost(host);
  const detail = stderr.trim();
  const has = (pattern: RegExp) => pattern.test(stderr);
  if (has(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/)) {
    return new SshError('host-key-changed', `The host key of ${where} has changed; the connection is refused.`, detail);
  }
  if (has(/Host key verification failed|No \S+ host key is known for/)) {
    return new SshError(
      'host-key-unknown',
      `The console does not trust ${where}'s host key yet: run "Test connection", compare the fingerprint ` +
        'with the one your provider shows, and trust it.',
      detail,
    );
  }
  if (has(/UNPROTECTED PRIVATE KEY FILE|bad permissions/)) {
    return new SshError(
      'key-file',
      `ssh refuses the key file ${host.keyFile ?? ''} because others can read it: run chmod 600 on it.`,
      detail,
    );
  }
  if (has(/Identity file .* not accessible/)) {
    return new SshError(
      'key-file',
      `The key file ${host.keyFile ?? ''} does not exist or cannot be read on this machine.`,
      detail,
    );
  }
  if (has(/Permission denied \(/)) {
    const key = host.keyFile ? `the key ${host.keyFile}` : "the ssh agent's keys";
    return new SshError(
      'auth-failed',
      `${where} refused ${key} (permission denied): add the matching public key to ` +
        `~/.ssh/authorized_keys of "${host.user}" on that machine, or check the user name.`,
      detail,
    );
  }
  if (
    has(
      /Could not resolve hostname|Name or service not known|nodename nor servname|Temporary failure in name resolution/,
    )
  ) {
    return new SshError(
      'unresolved',
      `The host name "${host.host}" could not be resolved: check its spelling and this machine's DNS.`,
      detail,
    );
  }
  if (has(/Connection refused/)) {
    return new SshError(
      'refused',
      `Nothing listens for SSH at ${host.host}:${host.port} (connection refused): check the port and that sshd runs.`,
      detail,
    );
  }
  if (has(/timed out|Timeout, server .* not responding/)) {
    return new SshError(
      'timeout',
      `${where} did not answer in time: check the address, the port and any firewall in between.`,
      detail,
    );
  }
  if (has(/No route to host|Network is unreachable|Host is unreachable/)) {
    return new SshError('unreachable', `${host.host} cannot be reached from this machine (no route).`, detail);
  }
  if (has(/closed by remote host|Connection reset|Broken pipe|Connection closed by|client_loop: send disconnect/)) {
    return new SshError('disconnected', `The connection to ${where} was lost.`, detail);
  }
  if (has(/^ssh: /m))
    return new SshError('ssh-failed', `ssh could not connect to ${where}: ${lastLine(detail)}`, detail);
  return null;
}

function lastLine(text: string): string {
  return text.split('\n').at(-1) ?? text;
}
