import { useState } from 'react';
import { mfaApi } from '../../api/mfa';
import { BackupCodesDialog } from '../../components/BackupCodesDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { useLoader } from '../../lib/useLoader';
import { useSession } from '../../session/SessionProvider';
import { AddMethods } from './AddMethods';
import { EnrollmentBanner } from './EnrollmentBanner';

/**
 * Enrolment the policy requires: every kind of second factor the user may set up (an
 * authenticator app, a passkey or security key, a phone, the email address), as Keycloak's
 * and Authelia's required actions offer. The session can do nothing else until one is set up.
 */
export function EnrollPage() {
  const session = useSession();
  const status = useLoader(() => mfaApi.status());
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const finish = async () => {
    setError(null);
    try {
      await session.finishEnrolment(t('enrollPage.signInAgain'));
    } catch (e) {
      setError(e);
    }
  };

  const onAdded = (codes?: string[]) => {
    if (codes?.length) setNewCodes(codes);
    else void finish();
  };

  return (
    <div className="narrow">
      <PageHeading lead={t('enrollPage.lead')}>{t('enrollPage.title')}</PageHeading>
      <EnrollmentBanner />
      <ErrorAlert error={status.error ?? error} />
      {status.loading && !status.data && <p className="muted">{t('common.loading')}</p>}
      {status.data && <AddMethods status={status.data} email={session.user?.email ?? ''} onAdded={onAdded} />}
      {newCodes && (
        <BackupCodesDialog
          codes={newCodes}
          email={session.user?.email}
          onClose={() => {
            setNewCodes(null);
            void finish();
          }}
        />
      )}
    </div>
  );
}
