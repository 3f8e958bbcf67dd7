import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { SessionsSection } from './SessionsSection';
import { TrustedDevicesSection } from './TrustedDevicesSection';

/** Where the account is signed in, and which browsers skip the second step. */
export function DevicesPage() {
  return (
    <div>
      <PageHeading lead={t('devices.lead')}>{t('devices.title')}</PageHeading>
      <SessionsSection />
      <TrustedDevicesSection />
    </div>
  );
}
