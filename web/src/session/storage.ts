import type { UserSummary } from '../api/types';

/**
 * What the tab remembers across reloads: who is signed in and whether policy asks them to enrol.
 * Never a token: those live in httpOnly cookies (docs/browser-session.md). The MFA-pending token
 * of an unfinished sign-in stays in memory only.
 */
export interface EnrollmentState {
  /** The grace period is over: this session may only enrol a second factor. */
  required: boolean;
  enrollBy: string | null;
}

export interface StoredSession {
  user: UserSummary;
  enrollment: EnrollmentState | null;
}

const KEY = 'twofold.session';

export function loadStoredSession(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredSession;
    return parsed && parsed.user && typeof parsed.user.email === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function saveStoredSession(value: StoredSession | null): void {
  try {
    if (value) sessionStorage.setItem(KEY, JSON.stringify({ user: value.user, enrollment: value.enrollment }));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage may be disabled; the session then lasts until the tab reloads.
  }
}
