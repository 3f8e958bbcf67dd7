import type { ReactNode } from 'react';
import { adminApi } from '../../api/admin';
import { BarChart } from '../../components/BarChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Meter } from '../../components/Meter';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { formatPercent } from '../../lib/format';
import { statsView } from '../../lib/statsView';
import { useLoader } from '../../lib/useLoader';
import { AdminNav } from './AdminNav';

/** MFA adoption at a glance. */
export function StatsPage() {
  const stats = useLoader(() => adminApi.stats());
  const v = stats.data ? statsView(stats.data) : null;

  return (
    <div>
      <PageHeading lead={t('stats.lead')}>{t('admin.title')}</PageHeading>
      <AdminNav />
      <ErrorAlert error={stats.error} />
      {stats.loading && !v && <p className="muted">{t('common.loading')}</p>}
      {v && (
        <>
          <div className="stat-grid">
            <section className="card stat" aria-labelledby="stat-share">
              <h2 id="stat-share">{t('stats.share')}</h2>
              <Meter label={t('stats.share')} part={v.withMfa} whole={v.users} testId="stats-share" />
              <p className="muted">{t('stats.shareOf', { part: v.withMfa, whole: v.users, percent: formatPercent(v.withMfa, v.users) })}</p>
            </section>
            <StatCard id="stat-users" title={t('stats.users')} value={v.users} />
            <StatCard id="stat-overdue" title={t('stats.pastDeadline')} value={v.pastDeadline} testId="stats-past-deadline">
              {v.insideGrace !== null && t('stats.insideGrace', { count: v.insideGrace })}
            </StatCard>
            <StatCard id="stat-low" title={t('stats.lowCodes')} value={v.lowBackupCodes} testId="stats-low-codes" />
            <StatCard id="stat-lockouts" title={t('stats.lockouts')} value={v.lockouts7d}>
              {v.lockouts24h !== null ? t('stats.lockoutsWindow', { day: v.lockouts24h }) : null}
            </StatCard>
          </div>
          <section className="card">
            <BarChart title={t('stats.byMethod')} bars={v.byMethod} testId="stats-by-method" />
            {v.byMethod.length === 0 && <p className="muted">{t('stats.noMethods')}</p>}
          </section>
          {v.verifications.length > 0 && (
            <section className="card">
              <BarChart title={t('stats.verifications')} bars={v.verifications} legend={{ value: t('stats.passed'), failed: t('stats.failed') }} testId="stats-verifications" />
            </section>
          )}
        </>
      )}
    </div>
  );
}

function StatCard({ id, title, value, testId, children }: { id: string; title: string; value: number | null; testId?: string; children?: ReactNode }) {
  return (
    <section className="card stat" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="stat-value" data-testid={testId}>
        {value ?? <span className="stat-missing">{t('stats.notReported')}</span>}
      </p>
      {children && <p className="muted stat-note">{children}</p>}
    </section>
  );
}
