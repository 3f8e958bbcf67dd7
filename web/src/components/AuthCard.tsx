import type { ReactNode } from 'react';
import { PageHeading } from './PageHeading';

/** The narrow, centred card of the signed-out pages. */
export function AuthCard({ title, lead, children, footer }: { title: ReactNode; lead?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="auth-card card">
      <PageHeading lead={lead}>{title}</PageHeading>
      {children}
      {footer && <div className="auth-footer">{footer}</div>}
    </div>
  );
}
