import type { ComponentType } from 'react';
import { AuditPage } from './pages/admin/AuditPage';
import { PolicyPage } from './pages/admin/PolicyPage';
import { StatsPage } from './pages/admin/StatsPage';
import { UsersPage } from './pages/admin/UsersPage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { SecondStepPage } from './pages/auth/SecondStepPage';
import { SignInPage } from './pages/auth/SignInPage';
import { SignUpPage } from './pages/auth/SignUpPage';
import { ActivityPage } from './pages/security/ActivityPage';
import { ChangePasswordPage } from './pages/security/ChangePasswordPage';
import { DevicesPage } from './pages/security/DevicesPage';
import { SecurityPage } from './pages/security/SecurityPage';
import { TotpWizardPage } from './pages/security/TotpWizardPage';
import { EnrollPage } from './pages/security/EnrollPage';

/** Who may see a page: signed-out visitors, anyone, signed-in users, or admins. */
export type Access = 'guest' | 'any' | 'user' | 'admin';

export interface Route {
  path: string;
  access: Access;
  page: ComponentType;
}

/** Every client route. The service serves index.html for each of these paths. */
export const ROUTES: Route[] = [
  { path: '/sign-in', access: 'guest', page: SignInPage },
  { path: '/sign-in/verify', access: 'guest', page: SecondStepPage },
  { path: '/sign-up', access: 'guest', page: SignUpPage },
  { path: '/forgot-password', access: 'guest', page: ForgotPasswordPage },
  { path: '/reset-password', access: 'any', page: ResetPasswordPage },
  { path: '/security', access: 'user', page: SecurityPage },
  { path: '/security/enroll', access: 'user', page: EnrollPage },
  { path: '/security/totp', access: 'user', page: TotpWizardPage },
  { path: '/security/devices', access: 'user', page: DevicesPage },
  { path: '/security/activity', access: 'user', page: ActivityPage },
  { path: '/security/password', access: 'user', page: ChangePasswordPage },
  { path: '/admin', access: 'admin', page: StatsPage },
  { path: '/admin/users', access: 'admin', page: UsersPage },
  { path: '/admin/audit', access: 'admin', page: AuditPage },
  { path: '/admin/policy', access: 'admin', page: PolicyPage },
];

/** Where a session the policy restricts to enrolment lands: the choice of every factor. */
export const ENROLMENT_PATH = '/security/enroll';
/** The pages such a session may open: the choice, and the authenticator wizard it links to. */
export const ENROLMENT_PATHS: readonly string[] = [ENROLMENT_PATH, '/security/totp'];
