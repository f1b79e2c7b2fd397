/**
 * A relay in front of the real registry that ignores Range, as some registries, mirrors and
 * corporate proxies do: it drops the request's `Range` header, so every blob is answered 200 with
 * the whole body, and says nothing about ranges (no `Accept-Ranges`). Everything else passes
 * unchanged, Host included, so the registry's absolute `Location`s name the relay. The layer
 * store spec proves a file of an indexed layer still opens through it, and the page says why it
 * took longer.
 */
import { createServer, request as httpRequest } from 'node:http';
import { listenOnLoopback, type LoopbackServer } from '../support/loopback-server.ts';

/** Relays to `target` (`127.0.0.1:PORT` of the real registry), Range stripped. */
export async function startRangeIgnoringRelay(target: string): Promise<LoopbackServer> {
  const [targetHost, targetPort] = target.split(':') as [string, string];
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.range;
    delete headers['if-range'];
    const upstream = httpRequest({ host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers }, (answer) => {
      const { 'accept-ranges': _ranges, ...kept } = answer.headers;
      res.writeHead(answer.statusCode ?? 502, kept);
      answer.pipe(res);
    });
    upstream.once('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`relay: ${error.message}`);
    });
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  return listenOnLoopback(server);
}
