/**
 * Query defaults. Retrying is the registry client's job (src/oci/retry.ts: backoff, Retry-After,
 * progress the UI can show); a second mechanism here would multiply attempts and wait silently.
 */
import { QueryClient } from '@tanstack/react-query';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: false,
      },
    },
  });
}
