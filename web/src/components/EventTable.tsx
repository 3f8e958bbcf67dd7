import type { AuditEvent } from '../api/types';
import { t } from '../i18n';
import { describeUserAgent, formatDateTime } from '../lib/format';

const ACRONYMS: Record<string, string> = { mfa: 'MFA', totp: 'TOTP', sms: 'SMS', otp: 'OTP', ip: 'IP' };

/** "mfa.totp.enrolled" -> "MFA TOTP enrolled": readable without a table of every event type. */
export function humanizeEventType(type: string): string {
  const words = type
    .replace(/[._:]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function detailsText(details: AuditEvent['details']): string {
  if (!details) return '';
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** A long id shortened for the table; the whole id stays available on hover and to copy. */
function shortId(id: string | null | undefined) {
  if (!id) return '—';
  return id.length <= 10 ? id : <abbr title={id}>{id.slice(0, 8)}…</abbr>;
}

/** Security or audit events as a table that scrolls sideways on a narrow screen. */
export function EventTable({ events, showUser = false, caption }: { events: AuditEvent[]; showUser?: boolean; caption: string }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="table" data-testid="event-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('events.when')}</th>
            <th scope="col">{t('events.what')}</th>
            {showUser && <th scope="col">{t('events.user')}</th>}
            {showUser && <th scope="col">{t('events.actor')}</th>}
            <th scope="col">{t('events.where')}</th>
            <th scope="col">{t('events.details')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-testid="event-row" data-event-type={e.type}>
              <td className="nowrap">{formatDateTime(e.at)}</td>
              <td>
                <span title={e.type}>{humanizeEventType(e.type)}</span>
              </td>
              {showUser && <td className="mono">{shortId(e.user_id)}</td>}
              {showUser && <td className="mono">{shortId(e.actor_id)}</td>}
              <td>
                {e.ip ?? '—'}
                {e.user_agent && <span className="item-meta">{describeUserAgent(e.user_agent)}</span>}
              </td>
              <td className="details">{detailsText(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
