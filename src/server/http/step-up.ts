import type { FastifyRequest } from 'fastify';
import { requireStepUp } from '../../core/auth/step-up.js';
import type { Outcome } from '../../core/result.js';
import type { VerifyMethod } from '../../core/types.js';
import type { ServerDeps } from '../deps.js';
import { authOf } from './authenticate.js';
import { ctxOf } from './context.js';

interface StepUpBody {
  method?: string;
  code?: string;
  credential?: Record<string, unknown>;
  password?: string;
}

/** API.md "Step-up" for the request's session, from the proof fields merged into its body. */
export function stepUp(deps: ServerDeps, request: FastifyRequest, body: StepUpBody | undefined): Promise<Outcome<void>> {
  const { user, session } = authOf(request);
  const b = body ?? {};
  return requireStepUp(
    deps.core,
    deps.registry,
    user,
    session,
    { method: b.method as VerifyMethod | undefined, code: b.code, credential: b.credential, password: b.password },
    ctxOf(request, deps.clock),
  );
}
