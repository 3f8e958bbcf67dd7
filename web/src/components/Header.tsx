import { t } from '../i18n';
import { Link, useLocation } from '../router/router';
import { useSession } from '../session/SessionProvider';

const USER_LINKS = [
  { to: '/security', key: 'nav.security', testId: 'nav-security' },
  { to: '/security/devices', key: 'nav.devices', testId: 'nav-devices' },
  { to: '/security/activity', key: 'nav.activity', testId: 'nav-activity' },
  { to: '/security/password', key: 'nav.password', testId: 'nav-password' },
] as const;

/** Brand, the signed-in user's navigation (admin only for admins), and sign out. */
export function Header() {
  const { user, isAdmin, enrollment, signOut } = useSession();
  const { pathname } = useLocation();
  const current = (to: string) => (to === '/admin' ? pathname.startsWith('/admin') : pathname === to) || undefined;
  const limited = enrollment?.required;

  return (
    <header className="site-header">
      <div className="header-inner">
        <Link to="/" className="brand" aria-label={t('brand.home')}>
          <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="8" className="brand-mark" />
            <path d="M9 11h14M16 11v12" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
            <path d="M20 18l3 3 5-6" stroke="#9fe0c8" strokeWidth="2.5" fill="none" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>Twofold</span>
        </Link>
        {user && (
          <div className="account">
            <span className="account-email" data-testid="current-user">
              {user.email}
            </span>
            <button type="button" className="btn btn-small" onClick={() => void signOut()} data-testid="sign-out">
              {t('nav.signOut')}
            </button>
          </div>
        )}
      </div>
      {user && !limited && (
        <nav className="main-nav" aria-label={t('nav.label')}>
          <ul>
            {USER_LINKS.map((l) => (
              <li key={l.to}>
                <Link to={l.to} aria-current={current(l.to) && 'page'} data-testid={l.testId}>
                  {t(l.key)}
                </Link>
              </li>
            ))}
            {isAdmin && (
              <li>
                <Link to="/admin" aria-current={current('/admin') && 'page'} data-testid="nav-admin">
                  {t('nav.admin')}
                </Link>
              </li>
            )}
          </ul>
        </nav>
      )}
    </header>
  );
}
