import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { adminApi } from '../../api/admin';
import type { AdminUser } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { AdminNav } from './AdminNav';
import { UserRow } from './UserRow';

/** Find users, see their MFA state, and act on them. */
export function UsersPage() {
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (query: string, from: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await adminApi.users(query, from);
      setUsers((prev) => (from ? [...prev, ...page.users] : page.users));
      setCursor(page.next_cursor ?? null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(q, null);
  }, [q, load]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    if (input.trim() === q) void load(q, null);
    else setQ(input.trim());
  };

  const replace = (updated: AdminUser) => setUsers((list) => list.map((u) => (u.id === updated.id ? { ...u, ...updated } : u)));

  return (
    <div>
      <PageHeading lead={t('users.lead')}>{t('admin.title')}</PageHeading>
      <AdminNav />
      <form className="search-row" role="search" onSubmit={search}>
        <label htmlFor="user-search" className="visually-hidden">
          {t('users.search')}
        </label>
        <input id="user-search" type="search" placeholder={t('users.searchPlaceholder')} value={input} onChange={(e) => setInput(e.target.value)} data-testid="admin-user-search" />
        <button type="submit" className="btn" data-testid="admin-user-search-submit">
          {t('users.searchButton')}
        </button>
      </form>
      <ErrorAlert error={error} />
      <section className="card" aria-labelledby="users-title" aria-busy={loading}>
        <h2 id="users-title" className="visually-hidden">
          {t('users.listTitle')}
        </h2>
        <ul className="item-list" data-testid="admin-user-list">
          {users.map((u) => (
            <UserRow key={u.id} user={u} onChanged={replace} onReset={() => void load(q, null)} />
          ))}
        </ul>
        {!loading && users.length === 0 && <p className="muted">{t('users.none')}</p>}
        {loading && <p className="muted">{t('common.loading')}</p>}
        {cursor && !loading && (
          <button type="button" className="btn" onClick={() => void load(q, cursor)} data-testid="admin-users-more">
            {t('common.loadMore')}
          </button>
        )}
      </section>
    </div>
  );
}
