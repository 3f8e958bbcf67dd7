import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useSession } from '../../session/SessionProvider';

/** Policy enforcement: why the user is here, and by when they must enrol. */
export function EnrollmentBanner({ enrollBy }: { enrollBy?: string | null }) {
  const { enrollment } = useSession();
  const deadline = enrollBy ?? enrollment?.enrollBy ?? null;
  if (!enrollment?.required && !deadline) return null;
  return (
    <div className="banner" role="status" data-testid="enroll-banner">
      <strong>{enrollment?.required ? t('enroll.requiredTitle') : t('enroll.deadlineTitle')}</strong>
      <p>{enrollment?.required ? t('enroll.requiredText') : t('enroll.deadlineText', { date: formatDateTime(deadline) })}</p>
    </div>
  );
}
