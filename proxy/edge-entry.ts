/**
 * The registry proxy as a module worker for edge runtimes (Cloudflare Workers / workerd, and any
 * host that calls `export default { fetch(request, env) }`): the same handler as the Node server,
 * with the platform's own `fetch` as the upstream.
 *
 * What is checked here and what is not: the handler refuses every hop (registry host, token
 * realm, redirect Location) whose host is `localhost`/`*.localhost` or a literal address in a
 * blocked range, however it is spelled, unless `OCISCOPE_ALLOW_HOSTS` names it. A hostname that
 * *resolves* to a private address is not caught by us, because a Worker cannot see DNS answers
 * or choose the address it connects to; on Cloudflare the platform's egress cannot reach private
 * networks or the instance metadata service anyway, but on another runtime that is the operator's
 * job (egress firewall). The Node adapter (node-fetch.ts) is the one that vets resolved addresses.
 *
 * Only `/registry/…` is served; the SPA's static files come from the platform's asset hosting.
 * Environment: `OCISCOPE_ALLOW_HOSTS`, comma-separated host:port (as for the Node server).
 */
import { createProxyHandler, type ProxyHandler } from './handler.ts';

export interface EdgeEnv {
  readonly OCISCOPE_ALLOW_HOSTS?: string;
}

/** One handler per isolate and allowlist, so the anonymous token cache survives requests. */
let cached: { allowHosts: string; handler: ProxyHandler } | undefined;

function handlerFor(env: EdgeEnv): ProxyHandler {
  const allowHosts = env.OCISCOPE_ALLOW_HOSTS ?? '';
  if (cached?.allowHosts !== allowHosts) {
    const hosts = allowHosts
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    // The platform fetch must be called unbound from our object (workers throw "Illegal invocation").
    cached = { allowHosts, handler: createProxyHandler({ fetch: (url, init) => fetch(url, init), allowHosts: hosts }) };
  }
  return cached.handler;
}

export default {
  async fetch(request: Request, env: EdgeEnv): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname !== '/registry' && !pathname.startsWith('/registry/')) {
      return new Response('Not Found: this worker serves only /registry/…\n', { status: 404 });
    }
    return handlerFor(env)(request);
  },
};
