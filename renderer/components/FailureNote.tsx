import type { ReactElement } from 'react';

/** Why the last action failed, announced to screen readers; nothing when it did not. */
export function FailureNote({ failure }: { failure: string | null }): ReactElement | null {
  if (!failure) return null;
  return (
    <p role="alert" className="form-error">
      {failure}
    </p>
  );
}
