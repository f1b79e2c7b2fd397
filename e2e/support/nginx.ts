/**
 * A real caching reverse proxy in front of the app server: Debian's nginx with `proxy_cache`, on
 * a free loopback port, with its config, cache and temp files in a fresh temporary directory.
 * It stands in for the CDN of the README's "Deployment" section, and its configuration is the one
 * the README recommends, so the cache spec proves the advice rather than a test-only setup.
 *
 * `X-Cache-Status` reports nginx's `$upstream_cache_status` (HIT, MISS, EXPIRED, REVALIDATED,
 * BYPASS…) so a spec can tell a cache hit from a trip to the app server.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, startDaemon, waitForHttp } from './processes.ts';

export interface RunningNginx {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  stop(): Promise<void>;
}

const NGINX_BINARY = '/usr/sbin/nginx';
const READY_PATH = '/nginx-ready';

/** Starts nginx caching `/registry/` from `upstream` (the app server's base URL). */
export async function startCachingNginx(upstream: string): Promise<RunningNginx> {
  const workDir = await mkdtemp(join(tmpdir(), 'ociscope-nginx-'));
  await mkdir(join(workDir, 'cache'));
  await mkdir(join(workDir, 'temp'));
  const port = await freeLoopbackPort();
  const configPath = join(workDir, 'nginx.conf');
  await writeFile(configPath, nginxConfig({ workDir, port, upstream: new URL(upstream).host }));

  const daemon = startDaemon('nginx', NGINX_BINARY, ['-p', workDir, '-c', configPath, '-e', join(workDir, 'error.log')]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await daemon.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(daemon, `${url}${READY_PATH}`, { timeoutMs: 10_000 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/**
 * The recommended CDN behaviour, spelled as nginx:
 * - the cache obeys the app's `Cache-Control` (no `proxy_cache_valid`, so nothing is cached
 *   that the app did not mark cacheable: digest-addressed content for a year, tags never);
 * - a request carrying `Authorization` or a cookie neither reads from nor writes to the shared
 *   cache (nginx, unlike RFC 9111 §3.5, would otherwise store such responses);
 * - `proxy_cache_revalidate` turns an expired entry into a conditional request upstream, and
 *   `proxy_cache_lock` collapses concurrent misses for one key into one upstream fetch;
 * - nginx strips conditional headers from requests it may cache, so it can store a full answer,
 *   and then answers a conditional for an uncacheable (tag) response with a full 200; handing
 *   `If-None-Match` on for tag-addressed paths lets the registry answer 304 as it would directly,
 *   while digest-addressed paths are answered 304 by the cache from the stored `ETag`;
 * - `proxy_buffering off` would defeat the cache, so bodies are buffered to disk as they stream.
 * Running as root (CI containers), workers keep root's identity so they can write the temp dir.
 */
function nginxConfig(options: { workDir: string; port: number; upstream: string }): string {
  const { workDir, port, upstream } = options;
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};` : '';
  return `${user}
daemon off;
worker_processes 1;
pid ${join(workDir, 'nginx.pid')};
error_log ${join(workDir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;   # as in Debian's stock nginx.conf: cached blobs leave the cache file by sendfile
  tcp_nopush on;
  client_body_temp_path ${join(workDir, 'temp', 'client')};
  proxy_temp_path ${join(workDir, 'temp', 'proxy')};
  fastcgi_temp_path ${join(workDir, 'temp', 'fastcgi')};
  uwsgi_temp_path ${join(workDir, 'temp', 'uwsgi')};
  scgi_temp_path ${join(workDir, 'temp', 'scgi')};
  map $uri $tag_if_none_match {
    ~/(manifests|blobs)/[a-z0-9+._-]+:  "";
    default                            $http_if_none_match;
  }
  proxy_cache_path ${join(workDir, 'cache')} levels=1:2 keys_zone=ociscope:10m max_size=2g inactive=7d use_temp_path=off;

  server {
    listen 127.0.0.1:${port};
    location = ${READY_PATH} { return 200 "ready\\n"; }
    location /registry/ {
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header If-None-Match $tag_if_none_match;
      proxy_cache ociscope;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      proxy_cache_bypass $http_authorization $http_cookie $http_x_ociscope_registry_authorization;
      proxy_no_cache $http_authorization $http_cookie $http_x_ociscope_registry_authorization;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`;
}
