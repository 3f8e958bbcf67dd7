/**
 * The English catalogue: every string the UI shows. Keys are stable; `{name}` marks a value
 * filled in at run time. A translation copies this object's keys (see i18n/index.ts).
 */
import { admin } from './en/admin';
import { common } from './en/common';
import { security } from './en/security';

export const en = { ...common, ...security, ...admin } as const;
