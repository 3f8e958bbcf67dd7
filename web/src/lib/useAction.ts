import { useCallback, useState } from 'react';
import { isCancelled } from '../stepup/StepUpProvider';

/** Busy and error state around one user action; a cancelled step-up is not an error. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<void>): Promise<boolean> => {
    setError(null);
    setBusy(true);
    try {
      await action();
      return true;
    } catch (e) {
      if (!isCancelled(e)) setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
