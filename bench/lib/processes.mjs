// Starting and stopping what the benchmark measures: a throwaway PostgreSQL, the .NET services
// (Release builds, standalone), the peer, and the whole AppHost for the cold-start figure.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, chownSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The PostgreSQL server binaries, found as the AppHost's local mode finds them. */
function postgresBinDirectory() {
  const hasServer = (dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (hasServer(dir)) return dir;
  } catch { /* not installed */ }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const found = readdirSync(root).sort((a, b) => Number(b) - Number(a)).map((v) => join(root, v, 'bin')).find(hasServer);
    if (found) return found;
  }
  throw new Error('PostgreSQL server binaries not found (apt-get install postgresql); run.sh installs them.');
}

const isRoot = process.getuid?.() === 0;
// PostgreSQL refuses to run as root: as root, run it as the postgres OS user.
const asPostgres = (command, args) => isRoot
  ? ['/usr/bin/setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]]
  : [command, args];

/** A PostgreSQL server in a temporary folder, trusted on loopback only, gone after stop(). */
export async function startPostgres(log) {
  const bin = postgresBinDirectory();
  const base = mkdtempSync(join(tmpdir(), 'oauthdemo-bench-pg-'));
  const data = join(base, 'data');
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(base, uid, gid);
  }
  const [initdb, initArgs] = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale']);
  execFileSync(initdb, initArgs, { stdio: 'ignore' });

  const port = await freePort();
  const [command, args] = asPostgres(join(bin, 'postgres'), [
    // PostgreSQL's defaults otherwise: every commit is durable, as in production.
    '-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
  ]);
  const out = openSync(join(log, 'postgres.log'), 'w');
  const server = spawn(command, args, { stdio: ['ignore', out, out] });

  const connectionString = (database) => `Host=127.0.0.1;Port=${port};Username=postgres;Database=${database}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      break;
    } catch { await sleep(100); }
  }
  for (const db of ['authdb', 'apidb'])
    execFileSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', `CREATE DATABASE ${db}`], { stdio: 'ignore' });

  return {
    port,
    connectionString,
    async stop() {
      server.kill('SIGINT'); // fast shutdown
      await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once('exit', resolve)));
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Starts a process and waits until url answers (2xx) or the process dies. */
export async function startService(name, command, args, env, readyUrl, log) {
  const out = openSync(join(log, `${name}.log`), 'w');
  // A .NET service reads appsettings.json from its content root: run it in its output folder.
  const cwd = args[0]?.endsWith('.dll') ? dirname(args[0]) : undefined;
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${join(log, `${name}.log`)}`);
    try {
      const response = await fetch(readyUrl);
      if (response.ok) break;
    } catch { /* not listening yet */ }
    await sleep(200);
  }
  if (Date.now() >= deadline) throw new Error(`${name} did not become ready at ${readyUrl}`);
  return {
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

/** Resident memory of a process, in MiB (VmRSS). */
export function workingSetMiB(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : null;
}

/**
 * Wall time from `dotnet run --project AppHost --no-build` to every service answering /health
 * as Healthy, in seconds (http profile: ports 5100-5400; PostgreSQL mode as `auto` picks it).
 */
export async function appHostColdStart(log, run) {
  const ports = [5100, 5200, 5300, 5400];
  const out = openSync(join(log, `apphost-${run}.log`), 'w');
  const started = performance.now();
  const child = spawn('dotnet', ['run', '--project', join(repoRoot, 'AppHost'), '--no-build'], { stdio: ['ignore', out, out], detached: true });
  let seconds = null;
  while (performance.now() - started < 180_000 && child.exitCode === null) {
    const healthy = await Promise.all(ports.map(async (port) => {
      try {
        const response = await fetch(`http://localhost:${port}/health`, { signal: AbortSignal.timeout(1000) });
        return (await response.text()).includes('"status":"Healthy"');
      } catch { return false; }
    }));
    if (healthy.every(Boolean)) { seconds = (performance.now() - started) / 1000; break; }
    await sleep(100);
  }
  // SIGTERM stops the AppHost and everything it started. The next run must not meet any of it
  // (a PostgreSQL still holding its data folder refuses a second server), so wait until DCP and
  // every process it started are gone.
  process.kill(-child.pid, 'SIGTERM');
  await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  for (let i = 0; i < 600 && leftovers().length; i++) await sleep(100);
  return seconds;
}

/** Processes an AppHost run leaves behind while it shuts down: DCP, the services, PostgreSQL. */
function leftovers() {
  const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n');
  return processes.filter((args) => /tools\/dcp |\/bin\/Debug\/net10\.0\/(AppHost|AuthServer|ResourceApi|Worker|WebClient)|oauthdemo\/postgres\/data/i.test(args));
}
