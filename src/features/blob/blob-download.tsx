/**
 * "Download and verify" for a blob: the bytes are fetched and hashed in a worker (with the
 * credentials entered for this registry, if any) and saved only when they are the blob the
 * digest names. A mismatch is shown in red with both digests, and saving the bytes anyway takes
 * a second, explicit click. The proxy's direct link stays on offer, labelled unverified, where
 * it can work: without per-user credentials, which a link cannot carry.
 */
import { useEffect, useRef, useState } from 'react';
import { type BlobDownloadHandle, type BlobDownloadState, type BlobDownloadTarget, startBlobDownload } from '../../lib/blob-download';
import { storedAuthorization } from '../../lib/registry-credentials';
import { saveFile } from '../../ui/save-file';
import { Digest } from '../../ui/digest-value';
import { ProofMark } from '../../ui/proof-mark';
import { SizeText } from '../../ui/size-text';
import { isLayoutHost } from '../../oci/layout/layout-host';
import { blobProxyUrl } from '../../oci/registry/proxy-url';

function useBlobDownload(target: BlobDownloadTarget) {
  const [state, setState] = useState<BlobDownloadState>({ phase: 'idle' });
  const handle = useRef<BlobDownloadHandle | undefined>(undefined);
  useEffect(() => () => handle.current?.cancel(), []);
  const start = () => {
    handle.current?.cancel();
    handle.current = startBlobDownload(target, (next) => {
      // Saved once, when the proof arrives: the click that started it is the user's consent.
      if (next.phase === 'verified') saveFile(next.file, next.name);
      setState(next);
    });
  };
  return { state, start, cancel: () => handle.current?.cancel() };
}

export function BlobDownload(target: BlobDownloadTarget) {
  const { state, start, cancel } = useBlobDownload(target);
  // A plain link carries neither per-user credentials nor this tab's OCI layouts.
  const linkable = storedAuthorization(target.repo.registry) === undefined && !isLayoutHost(target.repo.registry);
  return (
    <div className="blob-download" data-testid="blob-download" data-phase={state.phase}>
      {state.phase === 'downloading' ? (
        <p role="status">
          <progress max={state.total ?? undefined} value={state.receivedBytes} aria-label="Blob download progress" />{' '}
          <SizeText bytes={state.receivedBytes} /> received, hashing as it arrives…{' '}
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </p>
      ) : (
        <p>
          <button type="button" onClick={start}>
            {state.phase === 'idle' ? 'Download and verify' : 'Download and verify again'}
          </button>{' '}
          {linkable && (
            <span className="muted">
              or{' '}
              <a href={blobProxyUrl(target.repo, target.digest)} download>
                the direct link
              </a>{' '}
              (not verified)
            </span>
          )}
        </p>
      )}
      {state.phase === 'verified' && (
        <p className="download-verified" role="status">
          <ProofMark state="verified" /> Saved as <code>{state.name}</code>: its <Digest value={target.digest} copy={false} /> matches the
          bytes received.{' '}
          <button type="button" onClick={() => saveFile(state.file, state.name)}>
            Save again
          </button>
        </p>
      )}
      {state.phase === 'mismatch' && (
        <div className="error-panel" role="alert" data-testid="download-mismatch">
          <p>
            <strong>Not saved: digest mismatch.</strong> The bytes received are not the blob asked for.
          </p>
          <dl className="error-facts">
            <dt>expected</dt>
            <dd>
              <Digest value={target.digest} full />
            </dd>
            <dt>received</dt>
            <dd>
              <Digest value={state.computed} full /> (<SizeText bytes={state.file.size} />)
            </dd>
          </dl>
          <button type="button" onClick={() => saveFile(state.file, `UNVERIFIED-${state.name}`)}>
            Save the unverified bytes anyway
          </button>
        </div>
      )}
      {state.phase === 'failed' && (
        <p className="inline-error" role="alert">
          Download failed: {state.message}
        </p>
      )}
    </div>
  );
}
