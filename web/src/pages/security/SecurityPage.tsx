import { useState } from 'react';
import { mfaApi } from '../../api/mfa';
import { BackupCodesDialog } from '../../components/BackupCodesDialog';
import { ErrorAlert, Notice } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { useLoader } from '../../lib/useLoader';
import { useLocation } from '../../router/router';
import { useSession } from '../../session/SessionProvider';
import { AddMethods } from './AddMethods';
import { BackupCodesSection } from './BackupCodesSection';
import { DisableMfaSection } from './DisableMfaSection';
import { EnrollmentBanner } from './EnrollmentBanner';
import { MethodList } from './MethodList';
import { MfaStatusSummary } from './MfaStatusSummary';

/** Security settings: second factors, backup codes, and turning MFA off. */
export function SecurityPage() {
  const session = useSession();
  const welcome = useLocation().search.get('welcome') === '1';
  const status = useLoader(() => mfaApi.status());
  const [newCodes, setNewCodes] = useState<string[] | null>(null);

  const onMethodAdded = (codes?: string[]) => {
    if (codes?.length) setNewCodes(codes);
    status.reload();
  };

  return (
    <div>
      <PageHeading lead={t('security.lead')}>{t('security.title')}</PageHeading>
      {welcome && <Notice testId="welcome">{t('security.welcome')}</Notice>}
      <ErrorAlert error={status.error} />
      {status.loading && !status.data && <p className="muted">{t('common.loading')}</p>}
      {status.data && (
        <>
          {status.data.required && !status.data.enabled && <EnrollmentBanner enrollBy={status.data.enroll_by} />}
          <MfaStatusSummary status={status.data} />
          <MethodList methods={status.data.methods} onChanged={status.reload} />
          <AddMethods status={status.data} email={session.user?.email ?? ''} onAdded={onMethodAdded} />
          {status.data.enabled && <BackupCodesSection remaining={status.data.backup_codes_remaining} onNewCodes={onMethodAdded} />}
          {status.data.enabled && <DisableMfaSection required={status.data.required} onDisabled={status.reload} />}
        </>
      )}
      {newCodes && <BackupCodesDialog codes={newCodes} email={session.user?.email} onClose={() => setNewCodes(null)} />}
    </div>
  );
}
