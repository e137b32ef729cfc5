import { useEffect, useState } from 'preact/hooks';
import { onSession, session, setSession, type Session } from './api';
import { AdminPage } from './pages/admin';
import { AggregatePage } from './pages/aggregate';
import { LoginPage } from './pages/login';
import { PortfolioPage } from './pages/portfolio';
import { PortfoliosPage } from './pages/portfolios';
import { RunPage } from './pages/run';
import { Link, navigate, usePath } from './router';

function useSession(): Session | null {
  const [s, set] = useState(session());
  useEffect(() => onSession(set), []);
  return s;
}

/** Pages only an admin may see; anyone else gets the not-found page (they never see admin content). */
function NotFound() {
  return (
    <section class="panel" aria-labelledby="nf-title">
      <h1 id="nf-title">Page not found</h1>
      <p>
        There is nothing here for your account. <Link href="/">Back to your portfolios</Link>
      </p>
    </section>
  );
}

export function App() {
  const s = useSession();
  const path = usePath();

  useEffect(() => {
    if (!s && path !== '/login') navigate(`/login`, true);
    if (s && path === '/login') navigate('/', true);
  }, [s, path]);

  useEffect(() => {
    document.title = titleOf(path);
  }, [path]);

  if (!s || path === '/login') return <LoginPage />;
  const admin = s.user.role === 'admin';
  let page;
  let m: RegExpMatchArray | null;
  if (path === '/') page = <PortfoliosPage />;
  else if (path === '/aggregate') page = <AggregatePage />;
  else if ((m = path.match(/^\/portfolios\/([0-9a-f-]{36})$/))) page = <PortfolioPage id={m[1]} key={m[1]} />;
  else if (path === '/admin' && admin) page = <AdminPage />;
  else if ((m = path.match(/^\/admin\/runs\/([0-9a-f-]{36})$/)) && admin) page = <RunPage id={m[1]} key={m[1]} />;
  else page = <NotFound />;

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/" class="brand">
          SigmaSight
        </Link>
        <nav aria-label="Main">
          <Link href="/" aria-current={path === '/' || path.startsWith('/portfolios') ? 'page' : undefined}>
            Portfolios
          </Link>
          <Link href="/aggregate" aria-current={path === '/aggregate' ? 'page' : undefined}>
            Combined
          </Link>
          {admin && (
            <Link href="/admin" aria-current={path.startsWith('/admin') ? 'page' : undefined}>
              Admin
            </Link>
          )}
        </nav>
        <div class="who">
          <span class="muted" title={s.user.email}>
            {s.user.full_name}
            {admin ? ' (admin)' : ''}
          </span>
          <button type="button" class="secondary" onClick={() => setSession(null)}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

function titleOf(path: string): string {
  if (path === '/login') return 'Sign in · SigmaSight';
  if (path.startsWith('/portfolios/')) return 'Portfolio · SigmaSight';
  if (path === '/aggregate') return 'Combined view · SigmaSight';
  if (path.startsWith('/admin/runs/')) return 'Run · Admin · SigmaSight';
  if (path.startsWith('/admin')) return 'Admin · SigmaSight';
  return 'Portfolios · SigmaSight';
}
