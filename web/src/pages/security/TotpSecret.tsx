import { useState } from 'react';
import { t } from '../../i18n';

/**
 * The key for typing into an app by hand. Shown in groups of four for reading, but its text
 * (what copying and the e2e test see) is the key itself, without spaces.
 */
export function TotpSecret({ secret, uri }: { secret: string; uri: string }) {
  const [copied, setCopied] = useState(false);
  const groups = secret.match(/.{1,4}/g) ?? [secret];
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="stack-sm">
      <p className="label-like" id="totp-secret-label">
        {t('totp.manualKey')}
      </p>
      <code className="secret" aria-labelledby="totp-secret-label" data-testid="totp-secret">
        {groups.map((g, i) => (
          <span key={i}>{g}</span>
        ))}
      </code>
      <div className="actions">
        <button type="button" className="btn btn-small" onClick={copy}>
          {copied ? t('backup.copied') : t('totp.copyKey')}
        </button>
        <a className="btn btn-small" href={uri}>
          {t('totp.openInApp')}
        </a>
      </div>
    </div>
  );
}
