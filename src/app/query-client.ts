/**
 * Query defaults. Retrying is only worth it for failures that may pass (server errors, a
 * dropped connection); a 404 or a digest mismatch will say the same thing again.
 */
import { QueryClient } from '@tanstack/react-query';
import { isRegistryError } from '../oci/errors';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          failures < 2 && isRegistryError(error) && (error.kind === 'server-error' || (error.kind === 'unreachable' && error.detail.cause !== 'truncated')),
      },
    },
  });
}
