import { accountApi } from '../../api/account';
import { ErrorAlert } from '../../components/ErrorAlert';
import { t } from '../../i18n';
import { describeUserAgent, formatDate, formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { useLoader } from '../../lib/useLoader';

/** Browsers that skip the second step until they expire; forget one or all. */
export function TrustedDevicesSection() {
  const list = useLoader(() => accountApi.trustedDevices());
  const { busy, error, run } = useAction();
  const devices = list.data?.devices ?? [];

  const forget = (id: string | null) =>
    void run(async () => {
      if (id) await accountApi.forgetDevice(id);
      else await accountApi.forgetAllDevices();
      list.reload();
    });

  return (
    <section className="card" aria-labelledby="trusted-title">
      <h2 id="trusted-title">{t('trusted.title')}</h2>
      <p className="muted">{t('trusted.explain')}</p>
      <ErrorAlert error={list.error ?? error} />
      <ul className="item-list" data-testid="trusted-list">
        {devices.map((d) => (
          <li key={d.id} className="item" data-testid="trusted-row">
            <div className="item-main">
              <span className="item-title">{d.name || describeUserAgent(d.user_agent)}</span>
              <span className="item-meta">
                {d.ip ?? t('common.unknownIp')} · {t('methods.lastUsed', { date: formatDateTime(d.last_used_at) })} · {t('trusted.expires', { date: formatDate(d.expires_at) })}
              </span>
            </div>
            <div className="item-actions">
              <button type="button" className="btn btn-small" onClick={() => forget(d.id)} disabled={busy} data-testid="trusted-revoke">
                {t('trusted.forget')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {list.data && devices.length === 0 && <p className="muted">{t('trusted.none')}</p>}
      {devices.length > 1 && (
        <button type="button" className="btn" onClick={() => forget(null)} disabled={busy} data-testid="trusted-revoke-all">
          {t('trusted.forgetAll')}
        </button>
      )}
    </section>
  );
}
