import { useEffect, useState } from 'react';
import { t } from '../i18n';

/**
 * Backup codes, shown once: copy, download as .txt, print. The service keeps only their hashes,
 * so this is the one chance to save them.
 */
export function BackupCodesPanel({ codes, email }: { codes: string[]; email?: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const text = [t('backup.fileHeader', { account: email ?? '' }), '', ...codes, '', t('backup.fileFooter')].join('\n');

  // Printing shows only this panel (see the print rules in styles.css).
  useEffect(() => {
    const after = () => document.body.classList.remove('printing-codes');
    window.addEventListener('afterprint', after);
    return () => window.removeEventListener('afterprint', after);
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied(t('backup.copied'));
    } catch {
      setCopied(t('backup.copyFailed'));
    }
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'twofold-backup-codes.txt';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const print = () => {
    document.body.classList.add('printing-codes');
    window.print();
  };

  return (
    <section className="backup-codes" aria-labelledby="backup-codes-title" data-testid="backup-codes-panel">
      <h2 id="backup-codes-title">{t('backup.title')}</h2>
      <p>{t('backup.explain')}</p>
      <ol className="code-grid" data-testid="backup-codes">
        {codes.map((code) => (
          <li key={code}>
            <code data-testid="backup-code">{code}</code>
          </li>
        ))}
      </ol>
      <div className="actions no-print">
        <button type="button" className="btn" onClick={copy} data-testid="backup-codes-copy">
          {t('backup.copy')}
        </button>
        <button type="button" className="btn" onClick={download} data-testid="backup-codes-download">
          {t('backup.download')}
        </button>
        <button type="button" className="btn" onClick={print} data-testid="backup-codes-print">
          {t('backup.print')}
        </button>
      </div>
      <p role="status" className="muted no-print">
        {copied}
      </p>
    </section>
  );
}
