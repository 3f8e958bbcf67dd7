import { accountApi } from '../../api/account';
import { ErrorAlert } from '../../components/ErrorAlert';
import { t } from '../../i18n';
import { describeUserAgent, formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { useLoader } from '../../lib/useLoader';

/** Signed-in sessions: revoke one, or every one but this. */
export function SessionsSection() {
  const list = useLoader(() => accountApi.sessions());
  const { busy, error, run } = useAction();
  const sessions = list.data?.sessions ?? [];
  const others = sessions.filter((s) => !s.current);

  const revoke = (ids: string[]) =>
    void run(async () => {
      for (const id of ids) await accountApi.revokeSession(id);
      list.reload();
    });

  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      <ErrorAlert error={list.error ?? error} />
      {list.loading && !list.data && <p className="muted">{t('common.loading')}</p>}
      <ul className="item-list" data-testid="session-list">
        {sessions.map((s) => (
          <li key={s.id} className="item" data-testid="session-row">
            <div className="item-main">
              <span className="item-title">
                {describeUserAgent(s.user_agent)} {s.current && <span className="badge badge-ok">{t('sessions.current')}</span>}
              </span>
              <span className="item-meta">
                {s.ip ?? t('common.unknownIp')} · {t('sessions.started', { date: formatDateTime(s.created_at) })} · {t('methods.lastUsed', { date: formatDateTime(s.last_used_at) })}
              </span>
            </div>
            {!s.current && (
              <div className="item-actions">
                <button type="button" className="btn btn-small" onClick={() => revoke([s.id])} disabled={busy} data-testid="session-revoke">
                  {t('sessions.revoke')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {list.data && sessions.length === 0 && <p className="muted">{t('sessions.none')}</p>}
      {others.length > 0 && (
        <button type="button" className="btn" onClick={() => revoke(others.map((s) => s.id))} disabled={busy} data-testid="session-revoke-all">
          {t('sessions.revokeAll')}
        </button>
      )}
    </section>
  );
}
