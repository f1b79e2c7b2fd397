/**
 * Long-running helper processes for the e2e suite (the registry, the app server): start them in
 * their own process group, keep the tail of their output for error messages, poll until they
 * answer HTTP, and stop the whole group.
 *
 * Each daemon gets its own process group because launchers such as `npx`/`tsx` fork a second
 * process; killing only the direct child would leave the real server holding its port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** How much of a daemon's stdout/stderr we keep for failure messages. */
const OUTPUT_TAIL_BYTES = 16 * 1024;

export class DaemonError extends Error {
  override readonly name = 'DaemonError';
  constructor(
    readonly kind: 'exited' | 'timeout' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

export interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last bytes the process wrote to stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** Resolves once the process has exited (immediately if it already has). */
  exited(): Promise<void>;
  /** SIGTERM to the whole group, SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const liveGroups = new Set<number>();

// If the runner dies without running teardown (uncaught error, process.exit), the daemons
// would outlive it and keep their ports; an exit hook is the last synchronous chance.
process.once('exit', () => {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
});

export function startDaemon(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Daemon {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      resolve();
    });
    // A spawn failure (ENOENT) emits 'error' and never 'exit'.
    child.once('error', (error) => {
      keep(Buffer.from(`spawn failed: ${error.message}\n`));
      resolve();
    });
  });
  if (child.pid !== undefined) liveGroups.add(child.pid);

  return {
    name,
    child,
    output: () => tail,
    exited: () => exit,
    async stop(graceMs = 5_000) {
      if (child.pid === undefined) return;
      // The leader may be gone while its children still hold the group; signal the group anyway.
      const pgid = child.pid;
      killGroup(pgid, 'SIGTERM');
      const escalation = setTimeout(() => killGroup(pgid, 'SIGKILL'), graceMs);
      await exit;
      clearTimeout(escalation);
    },
  };
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Asks the kernel for a free loopback port. The port is released before the daemon binds it, so
 * another process could take it in between; the ephemeral range makes that unlikely and a daemon
 * that fails to bind exits, which `waitForHttp` reports with the daemon's own message.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new DaemonError('failed', 'could not read the port of a probe socket'));
      });
    });
  });
}

/**
 * Polls `url` until `accept(status)` holds, the daemon exits, or the deadline passes. Errors
 * carry the daemon's recent output, since that is where the reason usually is.
 */
export async function waitForHttp(
  daemon: Daemon,
  url: string,
  options: { timeoutMs: number; accept?: (status: number) => boolean },
): Promise<void> {
  const accept = options.accept ?? ((status) => status === 200);
  const deadline = Date.now() + options.timeoutMs;
  let exited = false;
  void daemon.exited().then(() => {
    exited = true;
  });
  let lastProblem = 'no attempt yet';
  for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
    if (exited) {
      throw new DaemonError(
        'exited',
        `${daemon.name} exited (code ${daemon.child.exitCode}, signal ${daemon.child.signalCode}) before ${url} answered.\n` +
          `--- ${daemon.name} output ---\n${daemon.output()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (accept(response.status)) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = describeFetchError(error);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new DaemonError(
        'timeout',
        `${daemon.name} did not answer ${url} within ${options.timeoutMs} ms (last: ${lastProblem}).\n` +
          `--- ${daemon.name} output ---\n${daemon.output()}`,
      );
    }
    await delay(Math.min(pause, remaining));
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string } }).cause;
  return cause?.code ?? error.message;
}

/** Runs a command to completion, returning stdout as bytes; a non-zero exit throws with stderr. */
export function runToCompletion(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: Uint8Array } = {},
): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: 'pipe',
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(stdout));
      else
        reject(
          new DaemonError(
            'failed',
            `${command} ${args.join(' ')} failed (code ${code}, signal ${signal}):\n${Buffer.concat(stderr).toString('utf8')}`,
          ),
        );
    });
    child.stdin.end(options.input);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
