import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The page's h1. It takes focus when the page mounts, so keyboard and screen-reader users
 * land at the top of the new page after a client-side navigation.
 */
export function PageHeading({ children, lead }: { children: ReactNode; lead?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  useEffect(() => {
    if (typeof children === 'string') document.title = `${children} · Twofold`;
  }, [children]);
  return (
    <header className="page-header">
      <h1 tabIndex={-1} ref={ref} data-testid="page-heading">
        {children}
      </h1>
      {lead && <p className="lead">{lead}</p>}
    </header>
  );
}
