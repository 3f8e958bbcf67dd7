import type { MfaStatus } from '../../api/types';
import { t } from '../../i18n';
import { Link } from '../../router/router';
import { AddPasskey } from './AddPasskey';
import { EmailFactorSetup } from './EmailFactorSetup';
import { PhoneSetup } from './PhoneSetup';

interface Props {
  status: MfaStatus;
  email: string;
  onAdded: (backupCodes?: string[]) => void;
}

/** Every kind of second factor the user can add from here (those the policy allows). */
export function AddMethods({ status, email, onAdded }: Props) {
  const has = (type: string) => status.methods.some((m) => m.type === type);
  const allowed = (type: MfaStatus['allowed_methods'][number]) => status.allowed_methods.includes(type);
  return (
    <section className="card" aria-labelledby="add-title">
      <h2 id="add-title">{status.enabled ? t('add.titleMore') : t('add.title')}</h2>
      {status.enabled && <p className="muted">{t('add.stepUpNote')}</p>}
      <div className="add-grid">
        {allowed('totp') && (
          <div className="add-option">
            <h3>{t('method.totp')}</h3>
            <p>{t('add.totpExplain')}</p>
            <Link to="/security/totp" className="btn btn-primary" data-testid="totp-setup-start">
              {has('totp') ? t('add.totpAnother') : t('add.totpButton')}
            </Link>
          </div>
        )}
        {allowed('webauthn') && <AddPasskey onAdded={onAdded} />}
        {allowed('sms') && !has('sms') && <PhoneSetup onAdded={onAdded} />}
        {allowed('email') && !has('email') && <EmailFactorSetup email={email} onAdded={onAdded} />}
      </div>
    </section>
  );
}
