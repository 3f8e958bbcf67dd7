import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { isApiError } from '../api/problem';
import type { StepUpProof } from '../api/types';
import { StepUpDialog } from './StepUpDialog';

/** A sensitive request, sent once plainly and again with the proof if the service asks for one. */
export type SensitiveRequest<T> = (proof?: StepUpProof) => Promise<T>;

/** Thrown when the user closes the step-up dialog; callers treat it as "nothing happened". */
export class StepUpCancelled extends Error {
  constructor() {
    super('step-up cancelled');
    this.name = 'StepUpCancelled';
  }
}

export const isCancelled = (e: unknown): boolean => e instanceof StepUpCancelled;

interface Pending {
  send: SensitiveRequest<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type WithStepUp = <T>(send: SensitiveRequest<T>) => Promise<T>;

const StepUpContext = createContext<WithStepUp | null>(null);

/**
 * Step-up (API.md "Managing one's own MFA"): on 401 `step_up_required`, ask for a second factor
 * (or the password of a user without one) in a dialog, then resend the same request with
 * `{method, code}`, `{method: "webauthn", credential}` or `{password}` merged into its body.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);

  const withStepUp = useCallback(<T,>(send: SensitiveRequest<T>): Promise<T> => {
    return send().catch((e: unknown) => {
      if (!isApiError(e, 'step_up_required')) throw e;
      return new Promise<T>((resolve, reject) => {
        setPending({ send, resolve: resolve as (v: unknown) => void, reject });
      });
    });
  }, []);

  const finish = (fn: (p: Pending) => void) => {
    if (pending) fn(pending);
    setPending(null);
  };

  return (
    <StepUpContext.Provider value={withStepUp}>
      {children}
      {pending && (
        <StepUpDialog
          send={pending.send}
          onDone={(value) => finish((p) => p.resolve(value))}
          onFail={(error) => finish((p) => p.reject(error))}
          onCancel={() => finish((p) => p.reject(new StepUpCancelled()))}
        />
      )}
    </StepUpContext.Provider>
  );
}

export function useStepUp(): WithStepUp {
  const value = useContext(StepUpContext);
  if (!value) throw new Error('useStepUp outside StepUpProvider');
  return value;
}
