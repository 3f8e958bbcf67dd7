import { useState, type FormEvent } from 'react';
import { mfaApi } from '../../api/mfa';
import type { TotpSetup } from '../../api/types';
import { SavedConfirm } from '../../components/BackupCodesDialog';
import { BackupCodesPanel } from '../../components/BackupCodesPanel';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CodeField, Field, cleanCode } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { Link } from '../../router/router';
import { useSession } from '../../session/SessionProvider';
import { isCancelled, useStepUp } from '../../stepup/StepUpProvider';
import { EnrollmentBanner } from './EnrollmentBanner';
import { TotpSecret } from './TotpSecret';

type Step = 'start' | 'scan' | 'codes' | 'done';
const STEPS: Step[] = ['start', 'scan', 'codes'];

/**
 * Adds an authenticator app: name it, scan the QR code (or type the key), prove it with a code,
 * then save the backup codes, which the service returns only for a user's first method.
 */
export function TotpWizardPage() {
  const session = useSession();
  const withStepUp = useStepUp();
  const [step, setStep] = useState<Step>('start');
  const [name, setName] = useState(t('totp.defaultName'));
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const required = session.enrollment?.required ?? false;

  const run = async (action: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (e) {
      if (!isCancelled(e)) setError(e);
    } finally {
      setBusy(false);
    }
  };

  const start = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setSetup(await withStepUp((proof) => mfaApi.totpSetup(name.trim() || undefined, proof)));
      setStep('scan');
    });
  };

  const verify = (e: FormEvent) => {
    e.preventDefault();
    if (!setup) return;
    void run(async () => {
      try {
        const result = await withStepUp((proof) => mfaApi.totpVerify(setup.enrollment_id, cleanCode(code), proof));
        if (result.backup_codes?.length) {
          setCodes(result.backup_codes);
          setStep('codes');
        } else setStep('done');
      } catch (err) {
        setCode('');
        throw err;
      }
    });
  };

  // Verifying the first factor turns an enrolment-only session into a full one on the service
  // (core/mfa/after-change.ts), so the user carries on with it; only if the service still calls
  // it restricted does a fresh sign-in with the new factor follow.
  const finish = () => void run(() => session.finishEnrolment(t('totp.signInAgain')));

  const index = step === 'done' ? STEPS.length : STEPS.indexOf(step);

  return (
    <div className="narrow">
      <PageHeading lead={t('totp.lead')}>{t('totp.title')}</PageHeading>
      <EnrollmentBanner />
      <ol className="steps" aria-label={t('totp.progress')}>
        {STEPS.map((s, i) => (
          <li key={s} className={i < index ? 'complete' : i === index ? 'current' : ''} aria-current={i === index ? 'step' : undefined}>
            {t(`totp.step.${s}` as 'totp.step.start')}
          </li>
        ))}
      </ol>

      {step === 'start' && (
        <form className="card stack" onSubmit={start}>
          <p>{t('totp.intro')}</p>
          <Field label={t('totp.nameLabel')} hint={t('totp.nameHint')} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} testId="totp-name" />
          <ErrorAlert error={error} />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="totp-start">
              {busy ? t('common.working') : t('totp.begin')}
            </button>
            {required ? (
              <Link to="/security/enroll" className="btn" data-testid="totp-other-methods">
                {t('totp.otherMethods')}
              </Link>
            ) : (
              <Link to="/security" className="btn">
                {t('common.cancel')}
              </Link>
            )}
          </div>
        </form>
      )}

      {step === 'scan' && setup && (
        <form className="card stack" onSubmit={verify}>
          <h2>{t('totp.scanTitle')}</h2>
          <div className="qr-row">
            <img src={setup.qr_code} alt={t('totp.qrAlt')} width={200} height={200} className="qr" data-testid="totp-qr" />
            <div className="stack">
              <p>{t('totp.scanExplain')}</p>
              <TotpSecret secret={setup.secret} uri={setup.otpauth_uri} />
            </div>
          </div>
          <CodeField label={t('totp.codeLabel')} hint={t('totp.codeHint')} value={code} onChange={(e) => setCode(e.target.value)} testId="totp-code" autoFocus />
          <ErrorAlert error={error} />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="totp-verify">
              {busy ? t('common.working') : t('totp.verify')}
            </button>
          </div>
        </form>
      )}

      {step === 'codes' && (
        <div className="card stack">
          <BackupCodesPanel codes={codes} email={session.user?.email} />
          <SavedConfirm saved={saved} onSaved={setSaved} onDone={() => setStep('done')} doneLabel={t('common.continue')} />
        </div>
      )}

      {step === 'done' && (
        <div className="card stack" data-testid="totp-done">
          <h2>{t('totp.doneTitle')}</h2>
          <p>{required ? t('totp.doneRequired') : t('totp.doneText')}</p>
          <div className="actions">
            <button type="button" className="btn btn-primary" onClick={finish} disabled={busy} data-testid="totp-finish">
              {required ? t('totp.continue') : t('totp.backToSecurity')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
