import { useState, type FormEvent } from 'react';
import { isApiError } from '../api/problem';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../components/Field';
import { t } from '../i18n';
import { ProofActions } from './ProofActions';
import { useProof, type ProofHandlers } from './useProof';

/** A user without a second factor confirms with the password. */
export function PasswordProof({ onCancel, ...handlers }: ProofHandlers & { onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const proof = useProof(handlers);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!(await proof.submit({ password }))) setPassword('');
  };

  return (
    <form onSubmit={submit} className="stack" data-testid="step-up-form-password">
      <p>{t('stepUp.passwordExplain')}</p>
      <Field
        label={t('stepUp.password')}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        testId="step-up-password"
        autoFocus
      />
      <ErrorAlert error={isApiError(proof.error, 'invalid_credentials') ? t('stepUp.wrongPassword') : proof.error} testId="step-up-error" />
      <ProofActions busy={proof.busy} onCancel={onCancel} />
    </form>
  );
}
