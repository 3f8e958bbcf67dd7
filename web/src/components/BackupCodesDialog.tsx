import { useState } from 'react';
import { t } from '../i18n';
import { BackupCodesPanel } from './BackupCodesPanel';
import { Dialog } from './Dialog';

/** New backup codes in a dialog that closes only once the user says they saved them. */
export function BackupCodesDialog({ codes, email, onClose }: { codes: string[]; email?: string; onClose: () => void }) {
  const [saved, setSaved] = useState(false);
  return (
    <Dialog title={t('backup.dialogTitle')} onClose={() => saved && onClose()} testId="backup-codes-dialog">
      <BackupCodesPanel codes={codes} email={email} />
      <SavedConfirm saved={saved} onSaved={setSaved} onDone={onClose} />
    </Dialog>
  );
}

/** "I have saved these codes" and the button it unlocks. */
export function SavedConfirm({ saved, onSaved, onDone, doneLabel }: { saved: boolean; onSaved: (v: boolean) => void; onDone: () => void; doneLabel?: string }) {
  return (
    <div className="stack no-print">
      <label className="checkbox">
        <input type="checkbox" checked={saved} onChange={(e) => onSaved(e.target.checked)} data-testid="backup-codes-saved" />
        <span>{t('backup.savedCheck')}</span>
      </label>
      <button type="button" className="btn btn-primary" disabled={!saved} onClick={onDone} data-testid="backup-codes-done">
        {doneLabel ?? t('common.done')}
      </button>
    </div>
  );
}
