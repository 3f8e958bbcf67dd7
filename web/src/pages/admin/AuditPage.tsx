import { useState, type FormEvent } from 'react';
import { adminApi } from '../../api/admin';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EventTable } from '../../components/EventTable';
import { Field } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { usePagedEvents } from '../../lib/usePagedEvents';
import { AdminNav } from './AdminNav';

interface Filters {
  user_id: string;
  type: string;
  since: string;
}

const EMPTY: Filters = { user_id: '', type: '', since: '' };

/** `datetime-local` is local wall time; the API wants RFC 3339 UTC. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The audit log with filters (user, type, since) and cursor paging. */
export function AuditPage() {
  const [draft, setDraft] = useState<Filters>(() => {
    const user = new URLSearchParams(window.location.search).get('user_id');
    return user ? { ...EMPTY, user_id: user } : EMPTY;
  });
  const [applied, setApplied] = useState<Filters>(draft);
  const page = usePagedEvents(
    (cursor) => adminApi.audit({ user_id: applied.user_id.trim() || undefined, type: applied.type.trim() || undefined, since: toIso(applied.since), cursor }),
    JSON.stringify(applied),
  );

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...draft });
  };
  const set = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  return (
    <div>
      <PageHeading lead={t('audit.lead')}>{t('admin.title')}</PageHeading>
      <AdminNav />
      <form className="card filter-grid" onSubmit={apply} aria-label={t('audit.filters')}>
        <Field label={t('audit.userId')} value={draft.user_id} onChange={set('user_id')} testId="audit-user" spellCheck={false} />
        <Field label={t('audit.type')} hint={t('audit.typeHint')} value={draft.type} onChange={set('type')} testId="audit-type" spellCheck={false} />
        <Field label={t('audit.since')} type="datetime-local" value={draft.since} onChange={set('since')} testId="audit-since" />
        <div className="actions filter-actions">
          <button type="submit" className="btn btn-primary" data-testid="audit-apply">
            {t('audit.apply')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDraft(EMPTY);
              setApplied(EMPTY);
            }}
          >
            {t('audit.clear')}
          </button>
        </div>
      </form>
      <section className="card" aria-busy={page.loading}>
        <ErrorAlert error={page.error} />
        {page.events.length > 0 && <EventTable events={page.events} showUser caption={t('audit.caption')} />}
        {!page.loading && !page.error && page.events.length === 0 && <p className="muted">{t('audit.none')}</p>}
        {page.loading && <p className="muted">{t('common.loading')}</p>}
        {page.hasMore && !page.loading && (
          <button type="button" className="btn" onClick={page.loadMore} data-testid="audit-more">
            {t('common.loadMore')}
          </button>
        )}
      </section>
    </div>
  );
}
