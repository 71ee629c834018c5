import type { z } from 'zod';
import { TrainerHostSchema, type TrainerHost } from '../../shared/domain/trainer-host.js';
import { readableIssue, typedNumber } from './settings-errors.js';

/** The trainer-host form as typed: every field a string, so a half-typed port is kept as it is. */
export interface HostDraft {
  name: string;
  host: string;
  port: string;
  user: string;
  /** Use the ssh agent (SSH_AUTH_SOCK) rather than a key file. */
  useAgent: boolean;
  keyFile: string;
  workDir: string;
  python: string;
}

export type HostField = keyof Omit<HostDraft, 'useAgent'>;

/** Messages of the host schema, by the field they are about. */
export type HostFieldErrors = Partial<Record<HostField, string>>;

export const EMPTY_HOST_DRAFT: HostDraft = {
  name: '',
  host: '',
  port: '22',
  user: '',
  useAgent: false,
  keyFile: '~/.ssh/id_ed25519',
  workDir: '~/streetvision',
  python: 'python3',
};

export function hostToDraft(host: TrainerHost): HostDraft {
  return {
    name: host.name,
    host: host.host,
    port: String(host.port),
    user: host.user,
    useAgent: host.keyFile === null,
    keyFile: host.keyFile ?? '',
    workDir: host.workDir,
    python: host.python,
  };
}

/**
 * The host the draft describes, checked by the same schema the back end applies, or the messages
 * of that schema by field. A port that is not a whole number goes through as NaN, so the schema
 * names it rather than this form guessing a message of its own.
 */
export function draftToHost(
  draft: HostDraft,
  id: string,
): { ok: true; host: TrainerHost } | { ok: false; errors: HostFieldErrors } {
  const parsed = TrainerHostSchema.safeParse({
    id,
    name: draft.name,
    host: draft.host.trim(),
    port: typedNumber(draft.port),
    user: draft.user.trim(),
    keyFile: draft.useAgent ? null : draft.keyFile.trim(),
    workDir: draft.workDir.trim(),
    python: draft.python.trim(),
  });
  if (parsed.success) return { ok: true, host: parsed.data };
  return { ok: false, errors: errorsByField(parsed.error) };
}

function errorsByField(error: z.ZodError): HostFieldErrors {
  const errors: HostFieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (typeof field !== 'string' || !(field in EMPTY_HOST_DRAFT) || field === 'useAgent') continue;
    errors[field as HostField] ??= readableIssue(issue);
  }
  return errors;
}

/**
 * A stable id for a new host, from its name ("Lambda A100" → "lambda-a100"), made unique among
 * the hosts there are; ids never change afterwards, so runs keep pointing at their host.
 */
export function newHostId(name: string, taken: readonly string[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'host';
  let id = base;
  for (let n = 2; taken.includes(id); n += 1) id = `${base}-${n}`;
  return id;
}
