/**
 * A pass-through HTTP relay in front of a registry that writes down, for every request, which
 * Authorization scheme it carried (never the value). The token-auth spec needs to prove that a
 * user's password never reaches the registry itself as Basic, only a Bearer token does; the
 * Debian registry logs no request headers, so the relay is where the app server's traffic is
 * watched. The app server is pointed at the relay's address, so it cannot go around it.
 *
 * Bytes and headers pass unchanged both ways (Host included, so the registry's absolute
 * `Location`s name the relay). The log is served at RELAY_LOG_PATH, a path outside the registry
 * API that the app's proxy, which only forwards `/v2/…`, can never ask for.
 */
import { createServer, request as httpRequest } from 'node:http';
import { listenOnLoopback } from '../support/loopback-server.ts';

export interface RelayedRequestRecord {
  at: number;
  method: string;
  path: string;
  /** The Authorization scheme, lowercased (`basic`, `bearer`, …), or `none`. */
  authorization: string;
  status: number;
}

export interface RunningRelay {
  /** `127.0.0.1:PORT`: the registry's address as the app server sees it. */
  host: string;
  url: string;
  stop(): Promise<void>;
}

export const RELAY_LOG_PATH = '/_requests';

/** Relays to `target` (`127.0.0.1:PORT` of the real registry). */
export async function startRecordingRelay(target: string): Promise<RunningRelay> {
  const [targetHost, targetPort] = target.split(':') as [string, string];
  const log: RelayedRequestRecord[] = [];
  const server = createServer((req, res) => {
    if (req.url === RELAY_LOG_PATH) {
      const body = JSON.stringify(log);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const authorization = req.headers.authorization;
    const record: RelayedRequestRecord = {
      at: Date.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: authorization === undefined ? 'none' : (authorization.split(/\s/, 1)[0] ?? '').toLowerCase(),
      status: 0,
    };
    log.push(record);
    const upstream = httpRequest(
      { host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        record.status = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.once('error', (error) => {
      record.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`relay: ${error.message}`);
    });
    // The client going away mid-answer must not leave the registry's side open.
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  return listenOnLoopback(server);
}
