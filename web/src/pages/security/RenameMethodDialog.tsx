import { useState, type FormEvent } from 'react';
import { mfaApi } from '../../api/mfa';
import type { MfaMethod } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { t } from '../../i18n';
import { useAction } from '../../lib/useAction';

/** Gives a method a name its owner will recognise ("YubiKey on keyring"). */
export function RenameMethodDialog({ method, onClose, onRenamed }: { method: MfaMethod; onClose: () => void; onRenamed: () => void }) {
  const [name, setName] = useState(method.name);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(async () => {
      await mfaApi.rename(method.id, name.trim());
    });
    if (ok) {
      onRenamed();
      onClose();
    }
  };
  return (
    <Dialog title={t('methods.renameTitle')} onClose={onClose} testId="rename-dialog">
      <form onSubmit={submit} className="stack">
        <Field label={t('methods.nameLabel')} value={name} required maxLength={64} onChange={(e) => setName(e.target.value)} testId="rename-input" data-autofocus />
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="rename-save">
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
