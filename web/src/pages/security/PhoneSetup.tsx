import { useState, type FormEvent } from 'react';
import { mfaApi } from '../../api/mfa';
import { ErrorAlert, Notice } from '../../components/ErrorAlert';
import { CodeField, Field, cleanCode } from '../../components/Field';
import { t } from '../../i18n';
import { useAction } from '../../lib/useAction';
import { useStepUp } from '../../stepup/StepUpProvider';

/** SMS as a factor: a number in E.164 form, a texted code, verification. */
export function PhoneSetup({ onAdded }: { onAdded: (backupCodes?: string[]) => void }) {
  const withStepUp = useStepUp();
  const [phone, setPhone] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();

  const send = (e: FormEvent) => {
    e.preventDefault();
    const number = phone.replace(/[\s()-]/g, '');
    void run(async () => {
      await withStepUp((proof) => mfaApi.smsSetup(number, proof));
      setSentTo(number);
    });
  };

  const verify = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const result = await withStepUp((proof) => mfaApi.smsVerify(cleanCode(code), proof));
      setSentTo(null);
      setCode('');
      onAdded(result.backup_codes);
    });
  };

  return (
    <div className="add-option">
      <h3>{t('method.sms')}</h3>
      <p>{t('phone.explain')}</p>
      {!sentTo ? (
        <form onSubmit={send} className="stack-sm">
          <Field label={t('phone.numberLabel')} hint={t('phone.numberHint')} type="tel" autoComplete="tel" inputMode="tel" required value={phone} onChange={(e) => setPhone(e.target.value)} testId="phone-number" />
          <ErrorAlert error={error} />
          <button type="submit" className="btn" disabled={busy} data-testid="phone-send">
            {t('mfa.sendCode')}
          </button>
        </form>
      ) : (
        <form onSubmit={verify} className="stack-sm">
          <Notice>{t('phone.sent', { phone: sentTo })}</Notice>
          <CodeField label={t('mfa.smsLabel')} value={code} onChange={(e) => setCode(e.target.value)} testId="phone-code" autoFocus />
          <ErrorAlert error={error} />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="phone-verify">
              {t('common.verify')}
            </button>
            <button type="button" className="btn" onClick={() => setSentTo(null)}>
              {t('phone.changeNumber')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
