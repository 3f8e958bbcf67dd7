import { useCallback, useState } from 'react';
import { isApiError } from '../api/problem';
import type { StepUpProof } from '../api/types';

/**
 * Answers that are about the proof itself (a wrong or used code, a wrong password, too many
 * tries, a malformed code): the dialog stays open and shows them. Anything else belongs to the
 * waiting request, whose caller shows it.
 */
const PROOF_ERRORS = ['invalid_code', 'invalid_credentials', 'rate_limited', 'step_up_required', 'validation_failed'] as const;

export function isProofError(e: unknown): boolean {
  return PROOF_ERRORS.some((code) => isApiError(e, code));
}

export interface ProofHandlers {
  send: (proof: StepUpProof) => Promise<unknown>;
  onDone: (value: unknown) => void;
  onFail: (error: unknown) => void;
}

/** Resends the waiting request with a proof; keeps busy and error state for the form. */
export function useProof({ send, onDone, onFail }: ProofHandlers) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = useCallback(
    async (proof: StepUpProof): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        onDone(await send(proof));
        return true;
      } catch (err) {
        if (isProofError(err)) setError(err);
        else onFail(err);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [send, onDone, onFail],
  );

  return { busy, error, setError, submit };
}
