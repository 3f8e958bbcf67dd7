import { describeError } from '../lib/errors';

/** A failure, announced to assistive technology (role="alert"). Renders nothing without one. */
export function ErrorAlert({ error, testId = 'form-error' }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const { message, detail } = typeof error === 'string' ? { message: error, detail: null } : describeError(error);
  return (
    <div role="alert" className="alert alert-error" data-testid={testId}>
      <p>{message}</p>
      {detail && <p className="alert-detail">{detail}</p>}
    </div>
  );
}

/** A success or progress note, announced politely. */
export function Notice({ children, testId }: { children: React.ReactNode; testId?: string }) {
  if (!children) return null;
  return (
    <div role="status" className="alert alert-info" data-testid={testId}>
      {children}
    </div>
  );
}
