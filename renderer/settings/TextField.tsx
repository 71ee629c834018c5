import { useId, type ReactElement } from 'react';

interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The schema's message for this field, shown under it. */
  error?: string | undefined;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  disabled?: boolean;
}

/** A labelled text input with its validation message beside it, tied together for screen readers. */
export function TextField({ label, value, onChange, error, placeholder, inputMode, disabled }: Props): ReactElement {
  const errorId = useId();
  // The message sits beside the label, not in it, so the field's name stays its label.
  return (
    <div className="text-field">
      <label>
        {label}
        <input
          value={value}
          placeholder={placeholder}
          inputMode={inputMode}
          disabled={disabled}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      </label>
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
