/**
 * A supply-chain document's bytes, verified against their digest before anything decodes them.
 * Up to the client's document cap (4 MiB) the registry client fetches and verifies them; larger
 * ones (a 20 MB SBOM is common) stream through the layer worker, which hashes as they arrive and
 * keeps them only when the digest matched, then they are verified again here on the exact bytes
 * the views read, so the proof shown is of those bytes. Beyond MAX_SUPPLY_DOCUMENT_BYTES the
 * browser would spend seconds and hundreds of MB on one JSON parse; that is refused by name.
 */
import { queryOptions } from '@tanstack/react-query';
import { MAX_DOCUMENT_BYTES } from '../../../oci/spec/limits';
import { type Verification, verifyBytes } from '../../../oci/spec/verify';
import { startBlobDownload } from '../../../lib/blob-download';
import { immutable, registryKeys } from '../../../lib/query-keys';
import { registryClient } from '../../../lib/registry';
import { withRetryReports } from '../../../lib/retry-progress';
import type { DescriptorHints, RepositoryName } from '../../../lib/view-urls';

/** 64 MiB: a 10,000-package SBOM is ~20 MB; past this the tab's memory is at risk. */
export const MAX_SUPPLY_DOCUMENT_BYTES = 64 * 1024 * 1024;

export interface SupplyBlob {
  bytes: Uint8Array;
  verification: Verification;
}

export class SupplyBlobTooLarge extends Error {
  readonly kind = 'too-large';
}

function viaWorker(repo: RepositoryName, digest: string, hints: DescriptorHints, signal: AbortSignal): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const handle = startBlobDownload({ repo, digest, mediaType: hints.mediaType, size: hints.size }, (state) => {
      if (state.phase === 'verified' || state.phase === 'mismatch')
        state.file.arrayBuffer().then((b) => resolve(new Uint8Array(b)), reject);
      else if (state.phase === 'failed') reject(new Error(state.message));
    });
    signal.addEventListener('abort', () => handle.cancel(), { once: true });
  });
}

export function supplyBlobQuery(repo: RepositoryName, digest: string, hints: DescriptorHints) {
  return queryOptions({
    queryKey: [...registryKeys.blob(repo, digest, hints), 'supply'] as const,
    queryFn: async (context): Promise<SupplyBlob> => {
      const size = hints.size;
      if (size !== undefined && size > MAX_SUPPLY_DOCUMENT_BYTES) {
        throw new SupplyBlobTooLarge(
          `This document is ${size.toLocaleString('en-US')} bytes; ociscope decodes documents up to ${MAX_SUPPLY_DOCUMENT_BYTES / 1024 / 1024} MiB in the browser. Download and verify it instead.`,
        );
      }
      if (size !== undefined && size > MAX_DOCUMENT_BYTES) {
        const bytes = await viaWorker(repo, digest, hints, context.signal);
        const verification = await verifyBytes({
          bytes,
          expect: { digest, digestSource: 'url', size, mediaType: hints.mediaType },
          compareContentType: false,
        });
        return { bytes, verification };
      }
      const fetched = await withRetryReports(context, (call) =>
        registryClient.fetchJsonBlob(repo, digest, { size, mediaType: hints.mediaType }, call),
      );
      return { bytes: fetched.bytes, verification: fetched.verification };
    },
    ...immutable,
  });
}
