import { accountApi } from '../../api/account';
import { ErrorAlert } from '../../components/ErrorAlert';
import { EventTable } from '../../components/EventTable';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { usePagedEvents } from '../../lib/usePagedEvents';

/** The user's own security history, newest first. */
export function ActivityPage() {
  const page = usePagedEvents((cursor) => accountApi.securityEvents(cursor), 'me');
  return (
    <div>
      <PageHeading lead={t('activity.lead')}>{t('activity.title')}</PageHeading>
      <section className="card">
        <ErrorAlert error={page.error} />
        {page.events.length > 0 && <EventTable events={page.events} caption={t('activity.title')} />}
        {!page.loading && !page.error && page.events.length === 0 && <p className="muted">{t('activity.none')}</p>}
        {page.loading && <p className="muted">{t('common.loading')}</p>}
        {page.hasMore && !page.loading && (
          <button type="button" className="btn" onClick={page.loadMore} data-testid="events-more">
            {t('common.loadMore')}
          </button>
        )}
      </section>
    </div>
  );
}
