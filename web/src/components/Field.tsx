import { useId, type ComponentProps, type ReactNode } from 'react';

type FieldProps = ComponentProps<'input'> & {
  label: ReactNode;
  hint?: ReactNode;
  testId?: string;
};

/** A labelled input with an optional hint tied to it by aria-describedby. */
export function Field({ label, hint, testId, id, className, ...input }: FieldProps) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = hint ? `${inputId}-hint` : undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <input id={inputId} aria-describedby={hintId} data-testid={testId} {...input} />
    </div>
  );
}

type CodeFieldProps = Omit<FieldProps, 'type'> & { kind?: 'numeric' | 'backup' };

/**
 * A one-time code: numeric keypad and OS autofill of SMS/email codes (`one-time-code`);
 * backup codes are letters and digits, so they get a plain text field instead.
 */
export function CodeField({ kind = 'numeric', ...props }: CodeFieldProps) {
  const numeric = kind === 'numeric';
  return (
    <Field
      type="text"
      inputMode={numeric ? 'numeric' : 'text'}
      autoComplete={numeric ? 'one-time-code' : 'off'}
      pattern={numeric ? '[0-9 ]*' : undefined}
      maxLength={numeric ? 10 : 32}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      className={`code-field ${numeric ? 'numeric' : 'backup'}`}
      required
      {...props}
    />
  );
}

/** Strips the spaces people type into codes. */
export const cleanCode = (value: string) => value.replace(/\s+/g, '');
