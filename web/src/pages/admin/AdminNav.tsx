import { t } from '../../i18n';
import { Link, useLocation } from '../../router/router';

const LINKS = [
  { to: '/admin', key: 'admin.nav.overview' },
  { to: '/admin/users', key: 'admin.nav.users' },
  { to: '/admin/audit', key: 'admin.nav.audit' },
  { to: '/admin/policy', key: 'admin.nav.policy' },
] as const;

/** Tabs between the administration pages. */
export function AdminNav() {
  const { pathname } = useLocation();
  return (
    <nav className="subnav" aria-label={t('admin.nav.label')}>
      <ul>
        {LINKS.map((l) => (
          <li key={l.to}>
            <Link to={l.to} aria-current={pathname === l.to ? 'page' : undefined} data-testid={`admin-nav-${l.to.split('/')[2] ?? 'overview'}`}>
              {t(l.key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
