import { useCallback, useEffect, useState } from 'react';
import type { AuditEvent, EventPage } from '../api/types';

/** Cursor paging: the first page on load (and when `key` changes), then "load more". */
export function usePagedEvents(fetchPage: (cursor: string | null) => Promise<EventPage>, key: string) {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    async (from: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await fetchPage(from);
        setEvents((prev) => (from ? [...prev, ...(page.events ?? [])] : (page.events ?? [])));
        setCursor(page.next_cursor ?? null);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    // `key` stands for the filters `fetchPage` closes over: a new key starts from the first page.
    [key],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return { events, loading, error, hasMore: cursor !== null, loadMore: () => load(cursor) };
}
