import { adminApi } from '../../api/admin';
import type { Stats } from '../../api/types';
import { BarChart } from '../../components/BarChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Meter } from '../../components/Meter';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { formatPercent } from '../../lib/format';
import { methodLabel } from '../../lib/methods';
import { useLoader } from '../../lib/useLoader';
import { AdminNav } from './AdminNav';

/** A count from the first of several names the service might use, or null if it has none. */
function countOf(stats: Stats, names: string[]): number | null {
  for (const name of names) {
    const v = stats[name];
    if (typeof v === 'number') return v;
    if (Array.isArray(v)) return v.length;
    if (v && typeof v === 'object' && typeof (v as { count?: unknown }).count === 'number') return (v as { count: number }).count;
  }
  return null;
}

function numbers(record: Record<string, unknown> | undefined): { label: string; value: number }[] {
  return Object.entries(record ?? {})
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => ({ label: k, value: v as number }));
}

/** MFA adoption at a glance. */
export function StatsPage() {
  const stats = useLoader(() => adminApi.stats());
  const s = stats.data;
  const pastDeadline = s && countOf(s, ['past_deadline', 'users_past_deadline', 'overdue']);
  const lowCodes = s && countOf(s, ['low_backup_codes', 'users_low_on_backup_codes', 'low_on_backup_codes']);
  const lockouts = s && (typeof s.lockouts === 'number' ? s.lockouts : countOf(s, ['lockouts']));
  const byMethod = numbers(s?.by_method).map((b) => ({ ...b, label: methodLabel(b.label) }));
  const verifications = numbers(s?.verifications as Record<string, unknown> | undefined);

  return (
    <div>
      <PageHeading lead={t('stats.lead')}>{t('admin.title')}</PageHeading>
      <AdminNav />
      <ErrorAlert error={stats.error} />
      {stats.loading && !s && <p className="muted">{t('common.loading')}</p>}
      {s && (
        <>
          <div className="stat-grid">
            <section className="card stat" aria-labelledby="stat-share">
              <h2 id="stat-share">{t('stats.share')}</h2>
              <Meter label={t('stats.share')} part={s.mfa_enabled} whole={s.users} testId="stats-share" />
              <p className="muted">{t('stats.shareOf', { part: s.mfa_enabled, whole: s.users, percent: formatPercent(s.mfa_enabled, s.users) })}</p>
            </section>
            <StatCard id="stat-users" title={t('stats.users')} value={s.users} />
            <StatCard id="stat-overdue" title={t('stats.pastDeadline')} value={pastDeadline} testId="stats-past-deadline" />
            <StatCard id="stat-low" title={t('stats.lowCodes')} value={lowCodes} testId="stats-low-codes" />
            <StatCard id="stat-lockouts" title={t('stats.lockouts')} value={lockouts} />
          </div>
          <section className="card">
            <BarChart title={t('stats.byMethod')} bars={byMethod} format={(n) => t('stats.usersCount', { count: n })} testId="stats-by-method" />
            {byMethod.length === 0 && <p className="muted">{t('stats.noMethods')}</p>}
          </section>
          {verifications.length > 0 && (
            <section className="card">
              <BarChart title={t('stats.verifications')} bars={verifications} />
            </section>
          )}
        </>
      )}
    </div>
  );
}

function StatCard({ id, title, value, testId }: { id: string; title: string; value: number | null | undefined; testId?: string }) {
  return (
    <section className="card stat" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="stat-value" data-testid={testId}>
        {value ?? <span className="muted">{t('stats.notReported')}</span>}
      </p>
    </section>
  );
}
