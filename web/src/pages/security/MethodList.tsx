import { useState } from 'react';
import { mfaApi } from '../../api/mfa';
import type { MfaMethod } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { t } from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/format';
import { methodLabel } from '../../lib/methods';
import { useStepUp } from '../../stepup/StepUpProvider';
import { RenameMethodDialog } from './RenameMethodDialog';

/** The enrolled second factors, each renamable and removable (removal needs a step-up). */
export function MethodList({ methods, onChanged }: { methods: MfaMethod[]; onChanged: () => void }) {
  const withStepUp = useStepUp();
  const [renaming, setRenaming] = useState<MfaMethod | null>(null);
  const [removing, setRemoving] = useState<MfaMethod | null>(null);

  if (methods.length === 0) return null;
  return (
    <section className="card" aria-labelledby="methods-title">
      <h2 id="methods-title">{t('methods.title')}</h2>
      <ul className="item-list" data-testid="method-list">
        {methods.map((m) => (
          <li key={m.id} className="item" data-testid="method-row" data-method-type={m.type} data-method-id={m.id}>
            <div className="item-main">
              <span className="item-title">{m.name || methodLabel(m.type)}</span>
              <span className="item-meta">
                {methodLabel(m.type)} · {t('methods.added', { date: formatDate(m.created_at) })} · {t('methods.lastUsed', { date: formatDateTime(m.last_used_at) })}
              </span>
            </div>
            <div className="item-actions">
              <button type="button" className="btn btn-small" onClick={() => setRenaming(m)} aria-label={t('methods.renameNamed', { name: m.name })} data-testid="method-rename">
                {t('methods.rename')}
              </button>
              <button type="button" className="btn btn-small btn-danger-quiet" onClick={() => setRemoving(m)} aria-label={t('methods.removeNamed', { name: m.name })} data-testid="method-remove">
                {t('methods.remove')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {renaming && <RenameMethodDialog method={renaming} onClose={() => setRenaming(null)} onRenamed={onChanged} />}
      {removing && (
        <ConfirmDialog
          title={t('methods.removeTitle', { name: removing.name || methodLabel(removing.type) })}
          confirmLabel={t('methods.remove')}
          danger
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await withStepUp((proof) => mfaApi.remove(removing.id, proof));
            onChanged();
          }}
          testId="remove-method-dialog"
        >
          <p>{t('methods.removeExplain')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
