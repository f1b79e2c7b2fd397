/**
 * Which queries are waiting to retry, and why, so a page can say "registry answered 503;
 * retrying in 2 s (attempt 2 of 3)" instead of an unexplained spinner. The client reports
 * through its `onRetry` callback; this store keys the report by the query's key hash and a
 * component reads it with `useRetryProgress`. Components still never fetch: the query function
 * wires the callback, and the entry is dropped when the query function settles.
 */
import { hashKey, type QueryKey } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { RetryProgress } from '../oci/registry/retry';
import type { CallOptions } from '../oci/registry/transport';

const pending = new Map<string, RetryProgress>();
const listeners = new Set<() => void>();

function publish(key: string, progress: RetryProgress | undefined): void {
  if (progress) pending.set(key, progress);
  else pending.delete(key);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Runs a client call for the query `queryKey` with its abort signal and an `onRetry` that
 * publishes progress; the report is cleared however the call ends.
 */
export async function withRetryReports<T>(
  context: { queryKey: QueryKey; signal: AbortSignal },
  call: (options: CallOptions) => Promise<T>,
): Promise<T> {
  const key = hashKey(context.queryKey);
  try {
    return await call({ signal: context.signal, onRetry: (progress) => publish(key, progress) });
  } finally {
    if (pending.has(key)) publish(key, undefined);
  }
}

/** The latest retry report for the query with this key, while its function runs. */
export function useRetryProgress(queryKey: QueryKey): RetryProgress | undefined {
  const key = hashKey(queryKey);
  return useSyncExternalStore(subscribe, () => pending.get(key));
}
