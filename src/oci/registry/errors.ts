/**
 * Every way talking to a registry can fail, as values with a kind the UI can turn into a
 * specific sentence. Registries describe failures with `{"errors":[{code,message,detail}]}`
 * (distribution-spec "Error Codes"), but bodies may be plain text or HTML, so the HTTP status
 * and headers decide the kind and the registry's code is carried along when it sent one.
 */

export type RegistryErrorKind =
  | 'manifest-unknown'
  | 'name-unknown'
  | 'blob-unknown'
  | 'unauthorized'
  | 'denied'
  | 'rate-limited'
  | 'unreachable'
  | 'not-registry'
  | 'blocked'
  | 'bad-request'
  | 'auth-failed'
  | 'too-large'
  | 'server-error'
  | 'unexpected-status'
  | 'malformed-document';

/** What is known about a failed request, for the error panel. */
export interface RegistryErrorDetail {
  kind: RegistryErrorKind;
  status?: number;
  /** The registry's own error code, e.g. MANIFEST_UNKNOWN, or the proxy's PROXY_… code. */
  code?: string;
  /** The registry's own message, shown verbatim (as text) next to ours. */
  registryMessage?: string;
  /** When a rate limit lifts, from Retry-After or the RateLimit window, in ms since epoch. */
  retryAt?: number;
  /** Docker Hub style `ratelimit-limit` / `ratelimit-remaining`, as sent. */
  rateLimit?: { limit?: string; remaining?: string };
  url: string;
  cause?: string;
}

/** A failed request to a registry, by kind, with a sentence for people. */
export class RegistryError extends Error {
  readonly kind: RegistryErrorKind;
  readonly detail: RegistryErrorDetail;

  constructor(detail: RegistryErrorDetail, message: string) {
    super(message);
    this.name = 'RegistryError';
    this.kind = detail.kind;
    this.detail = detail;
  }
}

/** Whether a thrown value is a RegistryError. */
export function isRegistryError(value: unknown): value is RegistryError {
  return value instanceof RegistryError;
}
