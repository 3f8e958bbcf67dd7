import { useState, type FormEvent } from 'react';
import { mfaApi } from '../api/mfa';
import { isApiError } from '../api/problem';
import type { StepUpProof, VerifyMethod } from '../api/types';
import { CodeField, Field, cleanCode } from '../components/Field';
import { Dialog } from '../components/Dialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { t } from '../i18n';
import { useLoader } from '../lib/useLoader';
import { methodLabel } from '../lib/methods';

interface Props {
  send: (proof?: StepUpProof) => Promise<unknown>;
  onDone: (value: unknown) => void;
  onFail: (error: unknown) => void;
  onCancel: () => void;
}

// Methods a code can be typed for without a separate challenge endpoint. Email and SMS codes
// and passkeys have no step-up challenge in the contract; a recent sign-in covers them instead.
const CODE_METHODS: VerifyMethod[] = ['totp', 'backup_code'];

/** Asks for a fresh second factor (or the password), then resends the waiting request. */
export function StepUpDialog({ send, onDone, onFail, onCancel }: Props) {
  const status = useLoader(() => mfaApi.status());
  const [method, setMethod] = useState<VerifyMethod | null>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const enrolled = new Set(status.data?.methods.map((m) => m.type) ?? []);
  const usable = CODE_METHODS.filter((m) => (m === 'backup_code' ? (status.data?.backup_codes_remaining ?? 0) > 0 : enrolled.has(m as never)));
  const usesPassword = status.data !== null && !status.data.enabled;
  const chosen = method ?? usable[0] ?? null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const proof: StepUpProof | null = usesPassword ? { password: value } : chosen ? { method: chosen, code: cleanCode(value) } : null;
    if (!proof) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await send(proof));
    } catch (err) {
      if (isApiError(err, 'invalid_code') || isApiError(err, 'invalid_credentials') || isApiError(err, 'rate_limited') || isApiError(err, 'step_up_required')) {
        setError(err);
        setValue('');
      } else {
        onFail(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('stepUp.title')} description={t('stepUp.description')} onClose={onCancel} testId="step-up-dialog">
      {status.loading && <p className="muted">{t('common.loading')}</p>}
      <ErrorAlert error={status.error} />
      {status.data && (
        <form onSubmit={submit} className="stack">
          {usesPassword && (
            <Field label={t('stepUp.password')} type="password" autoComplete="current-password" required value={value} onChange={(e) => setValue(e.target.value)} testId="step-up-password" autoFocus />
          )}
          {!usesPassword && usable.length === 0 && <p>{t('stepUp.noCodeMethod')}</p>}
          {!usesPassword && usable.length > 1 && (
            <fieldset className="choice-row">
              <legend>{t('stepUp.method')}</legend>
              {usable.map((m) => (
                <label key={m} className="choice">
                  <input type="radio" name="step-up-method" value={m} checked={chosen === m} onChange={() => (setMethod(m), setValue(''))} data-testid={`step-up-method-${m}`} />
                  {methodLabel(m)}
                </label>
              ))}
            </fieldset>
          )}
          {!usesPassword && chosen && (
            <CodeField
              kind={chosen === 'backup_code' ? 'backup' : 'numeric'}
              label={chosen === 'backup_code' ? t('mfa.backupCodeLabel') : t('mfa.totpLabel')}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              testId="step-up-code"
              autoFocus
            />
          )}
          <ErrorAlert error={error} testId="step-up-error" />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy || (!usesPassword && !chosen)} data-testid="step-up-submit">
              {busy ? t('common.working') : t('stepUp.confirm')}
            </button>
            <button type="button" className="btn" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
