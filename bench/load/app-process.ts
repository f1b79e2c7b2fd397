/**
 * The app server (proxy/node-server.ts) in a child process of its own, so the load bench can
 * read the proxy's resident memory from `/proc/<pid>/status` without counting the load
 * generator, the hashing of bodies or the registry. Started with `node --import tsx` rather than
 * `npx tsx`, whose launcher forks, so the pid we hold is the server's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface AppProcess {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly pid: number;
  /** Resident set size now, in bytes (`VmRSS`). */
  rss(): Promise<number>;
  /** CPU time the server has used so far (user + system), in seconds. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

const SERVER_ENTRY = fileURLToPath(new URL('../../proxy/node-server.ts', import.meta.url));
const LISTENING = /ociscope listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 20_000;

export async function startAppProcess(options: { allowHosts: readonly string[]; distDir: string }): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      OCISCOPE_ALLOW_HOSTS: options.allowHosts.join(','),
      OCISCOPE_DIST: options.distDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await listeningUrl(child);
  const pid = child.pid!;
  return {
    url,
    pid,
    rss: () => residentBytes(pid),
    cpuSeconds: () => cpuSeconds(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const escalation = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(escalation);
    },
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`app server ${why}.\n--- output ---\n${output}`));
    };
    const timer = setTimeout(() => fail(`did not listen within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-16_384);
      const match = LISTENING.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(`exited (code ${code}, signal ${signal}) before listening`);
    });
  });
}

/** `VmRSS` from /proc (Linux), in bytes. */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kib) * 1024;
}

/** Clock ticks per second of `/proc/<pid>/stat` times; 100 on every Linux the bench runs on. */
const CLOCK_TICKS = 100;

/**
 * utime + stime from `/proc/<pid>/stat` (Linux), in seconds. The fields are counted after the
 * command name, which is in parentheses and may itself contain spaces.
 */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", utime and stime are the 12th and 13th fields.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
