import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { accountApi } from '../api/account';
import { authApi } from '../api/auth';
import { onSessionLost, readCookie } from '../api/client';
import type { MfaRequiredResponse, SignedInResponse, UserSummary, VerifyMethod } from '../api/types';
import { t } from '../i18n';
import { navigate } from '../router/router';
import { loadStoredSession, saveStoredSession, type EnrollmentState } from './storage';

export interface PendingSignIn {
  mfaToken: string;
  methods: VerifyMethod[];
  expiresAt: number;
  email: string;
  next: string | null;
}

interface SessionValue {
  /** False until the app knows whether someone is signed in. */
  ready: boolean;
  user: UserSummary | null;
  isAdmin: boolean;
  enrollment: EnrollmentState | null;
  pending: PendingSignIn | null;
  /** A one-off message for the sign-in page ("your session expired"). */
  flash: string | null;
  setFlash: (message: string | null) => void;
  beginSecondStep: (response: MfaRequiredResponse, email: string, next: string | null) => void;
  /** Records a finished sign-in and goes where the user should be next. */
  completeSignIn: (response: SignedInResponse, email: string, next?: string | null) => Promise<void>;
  abandonSecondStep: (message?: string) => void;
  /**
   * After a method was added: forgets the enrolment state once the service agrees this session
   * is a full one (`GET /me` says `enrollment_only: false`). False if it is still restricted.
   */
  enrollmentDone: () => Promise<boolean>;
  /**
   * After the first method of a session the policy restricted: carry on to the settings with
   * the session, now a full one; only if the service still calls it restricted, sign out with
   * `signInAgain` (a fresh sign-in with the new factor follows).
   */
  finishEnrolment: (signInAgain: string) => Promise<void>;
  signOut: (message?: string) => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

function unwrapMe(me: UserSummary | { user: UserSummary }): UserSummary | null {
  const u = 'user' in me ? me.user : me;
  return u && typeof u.email === 'string' ? { id: u.id, email: u.email, name: u.name ?? null, roles: Array.isArray(u.roles) ? u.roles : [] } : null;
}

interface Me {
  user: UserSummary;
  enrollmentOnly: boolean;
}

/** Who the cookies belong to. The CSRF cookie lives as long as the session can: no cookie, no call. */
async function fetchMe(): Promise<Me | null> {
  if (!readCookie('twofold_csrf')) return null;
  try {
    const me = await accountApi.me();
    const user = unwrapMe(me);
    return user ? { user, enrollmentOnly: 'enrollment_only' in me && me.enrollment_only === true } : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const stored = useMemo(loadStoredSession, []);
  const [user, setUser] = useState<UserSummary | null>(stored?.user ?? null);
  const [enrollment, setEnrollment] = useState<EnrollmentState | null>(stored?.enrollment ?? null);
  const [ready, setReady] = useState(stored !== null);
  const [pending, setPending] = useState<PendingSignIn | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const userRef = useRef(user);
  userRef.current = user;

  // A fresh tab with live cookies: ask the service who we are, where it offers GET /me.
  useEffect(() => {
    if (stored) return;
    let live = true;
    fetchMe().then((me) => {
      if (!live) return;
      if (me) {
        const enrolment = me.enrollmentOnly ? { required: true, enrollBy: null } : null;
        setUser(me.user);
        setEnrollment(enrolment);
        saveStoredSession({ user: me.user, enrollment: enrolment });
      }
      setReady(true);
    });
    return () => {
      live = false;
    };
  }, [stored]);

  const forget = useCallback(() => {
    setUser(null);
    setEnrollment(null);
    saveStoredSession(null);
  }, []);

  useEffect(
    () =>
      onSessionLost(() => {
        if (!userRef.current) return;
        forget();
        setFlash(t('session.expired'));
        navigate('/sign-in');
      }),
    [forget],
  );

  const beginSecondStep = useCallback((response: MfaRequiredResponse, email: string, next: string | null) => {
    setPending({ mfaToken: response.mfa_token, methods: response.methods, expiresAt: Date.now() + response.expires_in * 1000, email, next });
    navigate('/sign-in/verify');
  }, []);

  const completeSignIn = useCallback(async (response: SignedInResponse, email: string, next: string | null = null) => {
    const enrolment: EnrollmentState | null = response.mfa_enrollment_required
      ? { required: true, enrollBy: response.enroll_by ?? null }
      : response.enroll_by
        ? { required: false, enrollBy: response.enroll_by }
        : null;
    const me = response.user ? unwrapMe(response.user) : ((await fetchMe())?.user ?? null);
    const signedIn = me ?? { id: '', email, roles: [] };
    setPending(null);
    setUser(signedIn);
    setEnrollment(enrolment);
    saveStoredSession({ user: signedIn, enrollment: enrolment });
    navigate(enrolment ? '/security/enroll' : (next ?? '/security'));
  }, []);

  const abandonSecondStep = useCallback((message?: string) => {
    setPending(null);
    if (message) setFlash(message);
    navigate('/sign-in');
  }, []);

  const enrollmentDone = useCallback(async () => {
    const me = await fetchMe();
    if (!me || me.enrollmentOnly) return false;
    setUser(me.user);
    setEnrollment(null);
    saveStoredSession({ user: me.user, enrollment: null });
    return true;
  }, []);

  const signOut = useCallback(async (message?: string) => {
    try {
      await authApi.logout();
    } catch {
      // Already gone on the server side; forgetting it here is all that is left.
    }
    forget();
    setFlash(message ?? t('session.signedOut'));
    navigate('/sign-in');
  }, [forget]);

  const finishEnrolment = useCallback(
    async (signInAgain: string) => {
      const restricted = enrollment?.required ?? false;
      const full = await enrollmentDone();
      if (restricted && !full) await signOut(signInAgain);
      else navigate('/security');
    },
    [enrollment, enrollmentDone, signOut],
  );

  const value: SessionValue = {
    ready,
    user,
    isAdmin: !!user?.roles.includes('admin'),
    enrollment,
    pending,
    flash,
    setFlash,
    beginSecondStep,
    completeSignIn,
    abandonSecondStep,
    enrollmentDone,
    finishEnrolment,
    signOut,
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
