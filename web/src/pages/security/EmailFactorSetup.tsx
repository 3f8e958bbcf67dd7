import { useState, type FormEvent } from 'react';
import { mfaApi } from '../../api/mfa';
import { ErrorAlert, Notice } from '../../components/ErrorAlert';
import { CodeField, cleanCode } from '../../components/Field';
import { t } from '../../i18n';
import { useAction } from '../../lib/useAction';
import { useStepUp } from '../../stepup/StepUpProvider';

/** Email codes as a factor, proven on the account's own address. */
export function EmailFactorSetup({ email, onAdded }: { email: string; onAdded: (backupCodes?: string[]) => void }) {
  const withStepUp = useStepUp();
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();

  const send = () =>
    void run(async () => {
      await withStepUp((proof) => mfaApi.emailSetup(proof));
      setSent(true);
    });

  const verify = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const result = await withStepUp((proof) => mfaApi.emailVerify(cleanCode(code), proof));
      setSent(false);
      setCode('');
      onAdded(result.backup_codes);
    });
  };

  return (
    <div className="add-option">
      <h3>{t('method.email')}</h3>
      <p>{t('emailFactor.explain', { email })}</p>
      {!sent ? (
        <>
          <ErrorAlert error={error} />
          <button type="button" className="btn" onClick={send} disabled={busy} data-testid="email-factor-send">
            {t('emailFactor.send')}
          </button>
        </>
      ) : (
        <form onSubmit={verify} className="stack-sm">
          <Notice>{t('emailFactor.sent', { email })}</Notice>
          <CodeField label={t('mfa.emailLabel')} value={code} onChange={(e) => setCode(e.target.value)} testId="email-factor-code" autoFocus />
          <ErrorAlert error={error} />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="email-factor-verify">
              {t('common.verify')}
            </button>
            <button type="button" className="btn" onClick={send} disabled={busy}>
              {t('mfa.resendCode')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
