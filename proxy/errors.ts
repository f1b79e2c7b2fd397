/**
 * Errors the proxy makes itself, as typed values, and their wire form.
 *
 * The body copies the registry error shape of the OCI distribution-spec ("Error Codes":
 * `{"errors":[{code,message,detail}]}`) so the browser client parses one format; the `PROXY_`
 * prefix and the `X-Ociscope-Proxy: error` header tell it the proxy, not the registry, said no.
 * Codes, statuses and detail fields follow `.notes/contracts.md` ("Proxy responses").
 *
 * Runtime adapters (the Node upstream fetch) throw these too, so the handler maps every failure
 * by kind with `instanceof`, never by parsing messages.
 */
import { CORS_HEADERS, PROXY_ERROR_HEADER } from './header-policy.ts';

export type ProxyErrorCode =
  | 'PROXY_BAD_REQUEST'
  | 'PROXY_METHOD_NOT_ALLOWED'
  | 'PROXY_BLOCKED_ADDRESS'
  | 'PROXY_UNREACHABLE'
  | 'PROXY_TOO_MANY_REDIRECTS'
  | 'PROXY_AUTH_FAILED'
  | 'PROXY_TOO_LARGE';

export abstract class ProxyError extends Error {
  abstract readonly code: ProxyErrorCode;
  abstract readonly status: number;
  abstract readonly detail: Readonly<Record<string, string | number>>;
}

/** The request URL does not name a registry API path the proxy serves (see contract grammar). */
export class BadRequestError extends ProxyError {
  readonly code = 'PROXY_BAD_REQUEST';
  readonly status = 400;
  constructor(
    message: string,
    readonly detail: { part: string; value: string },
  ) {
    super(message);
    this.name = 'BadRequestError';
  }
}

export class MethodNotAllowedError extends ProxyError {
  readonly code = 'PROXY_METHOD_NOT_ALLOWED';
  readonly status = 405;
  readonly detail: { method: string };
  constructor(method: string) {
    super(`The proxy is read-only: ${method} is not allowed, only GET and HEAD.`);
    this.name = 'MethodNotAllowedError';
    this.detail = { method };
  }
}

/**
 * A hop (registry host, token realm or redirect target) is or resolves to an address the proxy
 * refuses to connect to: loopback, private, link-local and the other ranges in address-policy.ts.
 */
export class BlockedAddressError extends ProxyError {
  readonly code = 'PROXY_BLOCKED_ADDRESS';
  readonly status = 403;
  /** `from` is set when the hop is allowlisted but was reached from a registry that is not. */
  constructor(readonly detail: { host: string; address: string; from?: string }) {
    super(
      detail.from === undefined
        ? `${detail.host} is at ${detail.address}, a loopback, private or reserved address the proxy does not connect to.`
        : `${detail.host} is allowlisted, but only as a registry or as a hop of an allowlisted registry, and ${detail.from} is not one.`,
    );
    this.name = 'BlockedAddressError';
  }
}

/**
 * The upstream could not be reached or misbehaved below HTTP: DNS failure, refused connection,
 * timeout, TLS failure, or a redirect to a scheme other than http(s). `cause` is a short code
 * (`ENOTFOUND`, `ECONNREFUSED`, `timeout`, …) for the UI to word.
 */
export class UpstreamUnreachableError extends ProxyError {
  readonly code = 'PROXY_UNREACHABLE';
  readonly status = 502;
  constructor(
    readonly detail: { host: string; cause: string },
    options?: { cause?: unknown },
  ) {
    super(`Could not reach ${detail.host} (${detail.cause}).`, options);
    this.name = 'UpstreamUnreachableError';
  }
}

export class TooManyRedirectsError extends ProxyError {
  readonly code = 'PROXY_TOO_MANY_REDIRECTS';
  readonly status = 502;
  constructor(readonly detail: { host: string; limit: number }) {
    super(`${detail.host} redirected more than ${detail.limit} times.`);
    this.name = 'TooManyRedirectsError';
  }
}

/** The token endpoint named in a Bearer challenge did not hand out an anonymous token. */
export class AuthFailedError extends ProxyError {
  readonly code = 'PROXY_AUTH_FAILED';
  readonly status = 502;
  constructor(readonly detail: { realm: string; status: number; reason: string }) {
    super(`The token endpoint ${detail.realm} failed (${detail.reason}).`);
    this.name = 'AuthFailedError';
  }
}

export class TooLargeError extends ProxyError {
  readonly code = 'PROXY_TOO_LARGE';
  readonly status = 502;
  constructor(readonly detail: { host: string; limit: number }) {
    super(`The manifest from ${detail.host} is larger than ${detail.limit} bytes.`);
    this.name = 'TooLargeError';
  }
}

/** Renders a proxy error as the contract's registry-style response; never cached. */
export function errorResponse(error: ProxyError): Response {
  const body = { errors: [{ code: error.code, message: error.message, detail: error.detail }] };
  const headers = new Headers(CORS_HEADERS);
  headers.set('Content-Type', 'application/json');
  headers.set('Cache-Control', 'no-store');
  headers.set(PROXY_ERROR_HEADER, 'error');
  headers.append('Access-Control-Expose-Headers', PROXY_ERROR_HEADER);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
