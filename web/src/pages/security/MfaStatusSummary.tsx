import type { MfaStatus } from '../../api/types';
import { t, tn } from '../../i18n';

/** On or off, how many methods, whether policy requires it. */
export function MfaStatusSummary({ status }: { status: MfaStatus }) {
  return (
    <section className="card status-card" aria-labelledby="mfa-status-title">
      <div className="status-line">
        <h2 id="mfa-status-title">{t('security.statusTitle')}</h2>
        <span className={`badge ${status.enabled ? 'badge-ok' : 'badge-warn'}`} data-testid="mfa-status" data-enabled={String(status.enabled)}>
          {status.enabled ? t('security.on') : t('security.off')}
        </span>
      </div>
      <p>
        {status.enabled
          ? tn('security.methodCount.one', 'security.methodCount.other', status.methods.length)
          : t('security.offExplain')}
      </p>
      {status.required && <p className="muted">{t('security.requiredByPolicy')}</p>}
    </section>
  );
}
