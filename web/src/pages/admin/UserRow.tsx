import { useState } from 'react';
import { adminApi } from '../../api/admin';
import type { AdminUser } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { t } from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/format';
import { methodLabel } from '../../lib/methods';
import { useAction } from '../../lib/useAction';
import { ResetMfaDialog } from './ResetMfaDialog';
import { RolesDialog } from './RolesDialog';

const methodName = (m: AdminUser['methods'][number]) => methodLabel(typeof m === 'string' ? m : m.type);

/** One user: who, MFA state, and the actions an admin can take. */
export function UserRow({ user, onChanged, onReset }: { user: AdminUser; onChanged: (u: AdminUser) => void; onReset: () => void }) {
  const [dialog, setDialog] = useState<'roles' | 'reset' | 'disable' | null>(null);
  const { busy, error, run } = useAction();
  const methods = [...new Set((user.methods ?? []).map(methodName))];

  const setDisabled = async (disabled: boolean) => {
    const updated = await adminApi.updateUser(user.id, { disabled });
    onChanged({ ...user, ...(updated ?? {}), disabled });
  };

  return (
    <li className="item user-row" data-testid="admin-user-row" data-email={user.email} data-user-id={user.id}>
      <div className="item-main">
        <span className="item-title">
          {user.email} {user.disabled && <span className="badge badge-warn">{t('users.disabled')}</span>}
          {user.roles.map((r) => (
            <span key={r} className="badge">
              {r}
            </span>
          ))}
        </span>
        <span className="item-meta">
          <span data-testid="admin-user-mfa" data-enabled={String(user.mfa_enabled)}>
            {user.mfa_enabled ? t('users.mfaOn', { methods: methods.join(', ') }) : t('users.mfaOff')}
          </span>{' '}
          · {t('users.created', { date: formatDate(user.created_at) })} · {t('users.lastLogin', { date: formatDateTime(user.last_login_at) })}
        </span>
        <ErrorAlert error={error} />
      </div>
      <div className="item-actions">
        <button type="button" className="btn btn-small" onClick={() => setDialog('roles')} aria-label={t('users.editRolesOf', { email: user.email })} data-testid="admin-user-roles">
          {t('users.editRoles')}
        </button>
        {user.disabled ? (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void run(() => setDisabled(false))} data-testid="admin-user-enable">
            {t('users.enable')}
          </button>
        ) : (
          <button type="button" className="btn btn-small" onClick={() => setDialog('disable')} aria-label={t('users.disableOf', { email: user.email })} data-testid="admin-user-disable">
            {t('users.disable')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-small btn-danger-quiet"
          onClick={() => setDialog('reset')}
          aria-label={t('users.resetMfaOf', { email: user.email })}
          data-testid="admin-user-reset-mfa"
        >
          {t('users.resetMfa')}
        </button>
      </div>
      {dialog === 'roles' && <RolesDialog user={user} onClose={() => setDialog(null)} onSaved={onChanged} />}
      {dialog === 'reset' && <ResetMfaDialog user={user} onClose={() => setDialog(null)} onDone={onReset} />}
      {dialog === 'disable' && (
        <ConfirmDialog title={t('users.disableTitle', { email: user.email })} confirmLabel={t('users.disable')} danger onClose={() => setDialog(null)} onConfirm={() => setDisabled(true)}>
          <p>{t('users.disableExplain')}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
