import { useEffect } from 'react';
import { Header } from './components/Header';
import { PageHeading } from './components/PageHeading';
import { t } from './i18n';
import { ROUTES, ENROLMENT_PATH, ENROLMENT_PATHS } from './routes';
import { Link, navigate, useLocation } from './router/router';
import { useSession } from './session/SessionProvider';

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Message({ title, text }: { title: string; text: string }) {
  return (
    <div className="narrow card">
      <PageHeading>{title}</PageHeading>
      <p>{text}</p>
      <p>
        <Link to="/">{t('common.home')}</Link>
      </p>
    </div>
  );
}

/** Picks the page for the address, applying who-may-see-what and MFA enrolment enforcement. */
function CurrentPage() {
  const { pathname, href } = useLocation();
  const { ready, user, isAdmin, enrollment } = useSession();
  if (!ready) return <p className="muted">{t('common.loading')}</p>;

  if (pathname === '/') return <Redirect to={user ? '/security' : '/sign-in'} />;
  // Past the grace period, a session can do nothing but enrol: keep the user on the enrolment pages.
  if (user && enrollment?.required && !ENROLMENT_PATHS.includes(pathname)) return <Redirect to={ENROLMENT_PATH} />;

  const route = ROUTES.find((r) => r.path === pathname);
  if (!route) return <Message title={t('notFound.title')} text={t('notFound.text')} />;
  if (route.access === 'guest' && user) return <Redirect to="/security" />;
  if ((route.access === 'user' || route.access === 'admin') && !user) return <Redirect to={`/sign-in?next=${encodeURIComponent(href)}`} />;
  if (route.access === 'admin' && !isAdmin) return <Message title={t('forbidden.title')} text={t('forbidden.text')} />;
  const Page = route.page;
  return <Page key={pathname} />;
}

export function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <Header />
      <main id="main" className="main">
        <CurrentPage />
      </main>
      <footer className="site-footer">
        <p>{t('footer.text')}</p>
      </footer>
    </>
  );
}
