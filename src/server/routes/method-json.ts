import { z } from 'zod';
import type { MfaMethod } from '../../core/types.js';
import { iso } from '../schemas.js';

export const MethodSchema = z.object({
  id: z.string(),
  type: z.enum(['totp', 'webauthn', 'email', 'sms']),
  name: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  algorithm: z.string().optional(),
  digits: z.number().optional(),
  period: z.number().optional(),
  phone_last_digits: z.string().optional().describe('SMS: only the last digits are ever shown'),
  email: z.string().optional(),
  aaguid: z.string().nullable().optional().describe('WebAuthn: authenticator model'),
  device_type: z.string().nullable().optional(),
  backed_up: z.boolean().nullable().optional(),
});

/** A method as the API shows it: never a secret, a public key or a full phone number. */
export function methodJson(m: MfaMethod): z.infer<typeof MethodSchema> {
  const base = { id: m.id, type: m.type, name: m.name, created_at: iso(m.createdAt)!, last_used_at: iso(m.lastUsedAt) };
  switch (m.type) {
    case 'totp':
      return { ...base, algorithm: m.totpAlgorithm ?? 'SHA1', digits: m.totpDigits ?? 6, period: m.totpPeriod ?? 30 };
    case 'sms':
      return { ...base, phone_last_digits: (m.destination ?? '').slice(-2) };
    case 'email':
      return { ...base, email: m.destination ?? undefined };
    case 'webauthn':
      return { ...base, aaguid: m.aaguid, device_type: m.deviceType, backed_up: m.backedUp };
  }
}
