/** The signed-in user's tickets, page by page. */
import { useCallback, useState } from 'react';
import { errorMessage, residentApi } from '../api/client';
import type { TicketListItem } from '../api/types';

export function useMyTickets() {
  const [items, setItems] = useState<TicketListItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');

  const load = useCallback(async (more = false) => {
    setLoading(true);
    setError('');
    try {
      const page = await residentApi.listMine(more ? next : null);
      setItems((list) => (more ? [...list, ...page.items] : page.items));
      setNext(page.next);
      setLoaded(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [next]);

  return { items, next, loading, loaded, error, reload: () => load(false), more: () => load(true) };
}
