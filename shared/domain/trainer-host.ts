import { z } from 'zod';

/*
 * A remote GPU box the operator trains on, reached over SSH; edited in Settings, used by
 * main/trainer/.
 *
 * The patterns are strict because `user@host` is handed to /usr/bin/ssh as one argument: neither
 * part may start with "-" (it would read as an option) or hold spaces, "@" or shell characters.
 */

const HOST_PATTERN = /^[A-Za-z0-9_:.%][A-Za-z0-9_:.%-]*$/;
const USER_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export const TrainerHostSchema = z.object({
  /** Stable id the console refers to the host by (jobs, settings). */
  id: z.string().min(1, 'must not be empty').max(64),
  /** The operator's label, e.g. "lambda A100". */
  name: z.string().trim().min(1, 'must not be empty').max(100),
  host: z
    .string()
    .min(1, 'must not be empty')
    .max(253)
    .regex(HOST_PATTERN, 'must be a host name or IP address (letters, digits, ".", "-", ":"), not starting with "-"'),
  port: z.number().int().min(1).max(65535),
  user: z
    .string()
    .min(1, 'must not be empty')
    .max(64)
    .regex(USER_PATTERN, 'must be a user name (letters, digits, "_", ".", "-"), not starting with "-"'),
  /** A private key file on this machine; null lets ssh use the agent (SSH_AUTH_SOCK). */
  keyFile: z.string().min(1, 'must not be empty').max(4096).nullable(),
  /** Where jobs live on the remote box: absolute, or "~/..." under the remote user's home. */
  workDir: z
    .string()
    .max(4096)
    .refine((dir) => dir.startsWith('/') || dir === '~' || dir.startsWith('~/'), 'must start with "/" or "~/"')
    .refine((dir) => !/[\0\n]/.test(dir), 'must not hold line breaks'),
  /** The Python that runs the trainer on the remote box, e.g. "python3" or "/opt/conda/bin/python". */
  python: z
    .string()
    .min(1, 'must not be empty')
    .max(4096)
    .refine((command) => !/[\0\n]/.test(command), 'must not hold line breaks'),
});
export type TrainerHost = z.infer<typeof TrainerHostSchema>;

/** `user@host:port`, the way the operator reads it in messages. */
export function describeHost(host: Pick<TrainerHost, 'user' | 'host' | 'port'>): string {
  const address = host.host.includes(':') ? `[${host.host}]` : host.host;
  return `${host.user}@${address}:${host.port}`;
}
