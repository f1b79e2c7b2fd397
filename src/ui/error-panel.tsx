/**
 * Shows why something could not be shown, in a specific sentence, with the registry's own
 * code and message (as text) and, for rate limits, when to try again; and, before it comes to
 * that, that the client is retrying and why.
 */
import { type FormEvent, useState } from 'react';
import { isRegistryError, type RegistryErrorKind } from '../oci/registry/errors';
import type { RetryProgress } from '../oci/registry/retry';
import { LAYOUT_NOT_LOADED_CODE } from '../oci/layout/layout-host';
import { useCredentialsStore } from './credentials-context';
import { formatRelative, formatUtc } from './format';

/** "registry answered 503; retrying in 2 s (attempt 2 of 3)" */
export function RetryNotice({ progress }: { progress: RetryProgress }) {
  const why =
    progress.status === undefined
      ? `the connection failed (${progress.networkError ?? 'network error'})`
      : `registry answered ${progress.status}`;
  const seconds = Math.max(1, Math.round(progress.delayMs / 1000));
  return (
    <p className="loading retrying" role="status" data-testid="retrying" data-attempt={progress.nextAttempt}>
      {why}; retrying in {seconds} s (attempt {progress.nextAttempt} of {progress.maxAttempts})
    </p>
  );
}

const titles: Record<RegistryErrorKind, string> = {
  'manifest-unknown': 'Unknown tag or digest',
  'name-unknown': 'Unknown repository',
  'blob-unknown': 'Unknown blob',
  unauthorized: 'Authentication required',
  denied: 'Access denied',
  'rate-limited': 'Rate limited',
  unreachable: 'Registry unreachable',
  'not-registry': 'Not a registry',
  blocked: 'Refused by the proxy',
  'bad-request': 'Malformed request',
  'auth-failed': 'Token service failed',
  'too-large': 'Too large',
  'server-error': 'Registry error',
  'unexpected-status': 'Unexpected answer',
  'malformed-document': 'Malformed answer',
};

export function ErrorPanel({ error }: { error: unknown }) {
  if (!isRegistryError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return (
      <section className="error-panel" role="alert" data-testid="error" data-kind="internal">
        <h2>Something went wrong</h2>
        <p>{message}</p>
      </section>
    );
  }
  const d = error.detail;
  return (
    <section className="error-panel" role="alert" data-testid="error" data-kind={error.kind}>
      <h2>{titles[error.kind]}</h2>
      <p data-testid="error-message">{error.message}</p>
      <dl className="error-facts">
        {d.status !== undefined && (
          <>
            <dt>HTTP status</dt>
            <dd>{d.status}</dd>
          </>
        )}
        {d.code && (
          <>
            <dt>Error code</dt>
            <dd>
              <code data-testid="error-code">{d.code}</code>
            </dd>
          </>
        )}
        {d.registryMessage && (
          <>
            <dt>Registry said</dt>
            <dd className="registry-message">{d.registryMessage}</dd>
          </>
        )}
        {d.cause && (
          <>
            <dt>Cause</dt>
            <dd>{d.cause}</dd>
          </>
        )}
        {d.rateLimit && (
          <>
            <dt>Rate limit</dt>
            <dd>
              limit {d.rateLimit.limit ?? '?'}, remaining {d.rateLimit.remaining ?? '?'}
            </dd>
          </>
        )}
        {d.retryAt !== undefined && (
          <>
            <dt>Try again after</dt>
            <dd>
              <time dateTime={new Date(d.retryAt).toISOString()}>
                {formatUtc(d.retryAt)} ({formatRelative(d.retryAt, Date.now())})
              </time>
            </dd>
          </>
        )}
      </dl>
      {error.kind === 'unauthorized' && <CredentialsForm url={d.url} />}
      {d.code === LAYOUT_NOT_LOADED_CODE && <a href="/layout">Open an OCI layout</a>}
    </section>
  );
}

/**
 * Credentials for the registry a failed request went to, for this tab only (the app's store).
 * Saving reloads the page so every query asks again, now with them.
 */
function CredentialsForm({ url }: { url: string }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const store = useCredentialsStore();
  const host = store?.hostOfProxyUrl(url);
  if (store === undefined || host === undefined) return null;
  const stored = store.has(host);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (username === '') return;
    store.save(host, username, password);
    window.location.reload();
  };
  return (
    <form className="credentials-form" data-testid="credentials-form" onSubmit={submit} autoComplete="off">
      <p>
        {stored
          ? `The credentials entered for ${host} in this tab were refused. Enter others, or forget them.`
          : `Credentials needed: sign in to ${host} for this tab only. They stay in this tab's session storage and go through the proxy to ${host} alone; nothing is cached.`}
      </p>
      <label>
        Username
        <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
      </label>
      <label>
        Password or token
        <input
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
        />
      </label>
      <button type="submit">Use for this tab</button>
      {stored && (
        <button
          type="button"
          onClick={() => {
            store.forget(host);
            window.location.reload();
          }}
        >
          Forget credentials for {host}
        </button>
      )}
    </form>
  );
}
