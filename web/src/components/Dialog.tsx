import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

// Open dialogs, innermost last: only the top one handles keys; everything beneath it is inert.
const stack: HTMLElement[] = [];

function syncInert() {
  const root = document.getElementById('root');
  if (stack.length) root?.setAttribute('inert', '');
  else root?.removeAttribute('inert');
  stack.forEach((el, i) => (i === stack.length - 1 ? el.removeAttribute('inert') : el.setAttribute('inert', '')));
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  description?: ReactNode;
  testId?: string;
}

/**
 * A modal dialog: role="dialog", aria-modal, labelled by its title. While open the page behind
 * it is inert, Tab cycles inside it, Escape closes it and focus returns where it was.
 */
export function Dialog({ title, onClose, children, description, testId }: DialogProps) {
  const titleId = useId();
  const descId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const backdropRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const backdrop = backdropRef.current;
    if (backdrop) stack.push(backdrop);
    syncInert();
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? ref.current)?.focus();

    const onKey = (e: KeyboardEvent) => {
      if (stack[stack.length - 1] !== backdrop) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        onCloseRef.current();
        return;
      }
      if (e.key !== 'Tab' || !ref.current) return;
      const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE));
      if (items.length === 0) return;
      const firstItem = items[0];
      const lastItem = items[items.length - 1];
      if (e.shiftKey && (document.activeElement === firstItem || !ref.current.contains(document.activeElement))) {
        e.preventDefault();
        lastItem.focus();
      } else if (!e.shiftKey && document.activeElement === lastItem) {
        e.preventDefault();
        firstItem.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      const at = backdrop ? stack.indexOf(backdrop) : -1;
      if (at >= 0) stack.splice(at, 1);
      syncInert();
      previous?.focus?.();
    };
  }, []);

  return createPortal(
    <div className="dialog-backdrop" ref={backdropRef}>
      <div
        ref={ref}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        tabIndex={-1}
        data-testid={testId}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {description && (
          <p id={descId} className="muted">
            {description}
          </p>
        )}
        {children}
      </div>
    </div>,
    document.body,
  );
}
