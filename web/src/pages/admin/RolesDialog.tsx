import { useState, type FormEvent } from 'react';
import { adminApi } from '../../api/admin';
import type { AdminUser } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { t } from '../../i18n';
import { useAction } from '../../lib/useAction';

export const parseRoles = (text: string) => [...new Set(text.split(/[,\s]+/).map((r) => r.trim()).filter(Boolean))];

/** Edits a user's roles: an admin checkbox and any other roles as a comma-separated list. */
export function RolesDialog({ user, onClose, onSaved }: { user: AdminUser; onClose: () => void; onSaved: (u: AdminUser) => void }) {
  const [admin, setAdmin] = useState(user.roles.includes('admin'));
  const [others, setOthers] = useState(user.roles.filter((r) => r !== 'admin').join(', '));
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const roles = [...(admin ? ['admin'] : []), ...parseRoles(others).filter((r) => r !== 'admin')];
    const ok = await run(async () => {
      const updated = await adminApi.updateUser(user.id, { roles });
      onSaved({ ...user, ...(updated ?? {}), roles });
    });
    if (ok) onClose();
  };

  return (
    <Dialog title={t('roles.title', { email: user.email })} onClose={onClose} testId="roles-dialog">
      <form onSubmit={submit} className="stack">
        <label className="checkbox">
          <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} data-testid="roles-admin" />
          <span>
            {t('roles.admin')}
            <span className="hint">{t('roles.adminHint')}</span>
          </span>
        </label>
        <Field label={t('roles.others')} hint={t('roles.othersHint')} value={others} onChange={(e) => setOthers(e.target.value)} testId="roles-others" />
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="roles-save">
            {t('common.save')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
