/**
 * A blob server that sends each response no faster than a set rate, for the load bench's "registry
 * over a network" phase.
 *
 * On loopback the registry answers a blob with sendfile and nothing waits on a wire, so a direct
 * curl is bounded only by memory bandwidth, while the proxy must copy every byte through two more
 * sockets on the same two cores; that measures the machine, not the proxy. A real registry sits
 * behind a network that delivers tens of MB/s per connection. This server paces each connection
 * at `bytesPerSecond` (a cumulative schedule: after n bytes it waits until n / rate seconds have
 * passed, so timer granularity does not change the average), and a direct curl and a proxied
 * curl of the same blob are compared against it.
 *
 * It runs in a child process of its own (`node --import tsx bench/load/paced-upstream.ts`), so its
 * timers do not share an event loop with the bench's load generator. Environment of the child:
 * PACED_FILE (the blob), PACED_PATH (the URL path it is served at), PACED_RATE (bytes per second).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PacedUpstream {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);
const LISTENING = /paced upstream listening on (http:\/\/(\S+))/;
/** The size of one write; what a registry's file copy loop writes at a time, give or take. */
const CHUNK = 64 * 1024;

/** Starts the child serving `file` at `urlPath`, each response paced at `bytesPerSecond`. */
export async function startPacedUpstream(options: { file: string; urlPath: string; bytesPerSecond: number }): Promise<PacedUpstream> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], {
    env: { ...process.env, PACED_FILE: options.file, PACED_PATH: options.urlPath, PACED_RATE: String(options.bytesPerSecond) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { url, host } = await new Promise<{ url: string; host: string }>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = LISTENING.exec(output);
      if (match !== null) resolve({ url: match[1]!, host: match[2]! });
    });
    child.once('exit', (code) => reject(new Error(`paced upstream exited (code ${code}) before listening`)));
  });
  return {
    url,
    host,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function serve(): Promise<void> {
  const blob = await readFile(process.env.PACED_FILE!);
  const urlPath = process.env.PACED_PATH!;
  const rate = Number(process.env.PACED_RATE);
  const server = createServer((request, response) => {
    if (request.url !== urlPath || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(blob.byteLength) });
    if (request.method === 'HEAD') response.end();
    else void sendPaced(response, blob, rate);
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`paced upstream listening on http://127.0.0.1:${port}\n`);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

async function sendPaced(response: ServerResponse, blob: Buffer, rate: number): Promise<void> {
  const started = performance.now();
  for (let sent = 0; sent < blob.byteLength && !response.destroyed;) {
    const chunk = blob.subarray(sent, sent + CHUNK);
    sent += chunk.byteLength;
    if (!response.write(chunk)) await writable(response);
    const ahead = (sent / rate) * 1000 - (performance.now() - started);
    if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
  }
  response.end();
}

/** Resolves on 'drain' or 'close', whichever comes first, leaving no listener behind. */
function writable(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done).off('close', done);
      resolve();
    };
    response.on('drain', done).on('close', done);
  });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === SELF) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
