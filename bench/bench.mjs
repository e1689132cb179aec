// OAuthDemo's benchmark: token issuance beside oidc-provider, refresh grants, API calls and
// logins, cold start and memory; alternating A/B rounds in one run, so ratios are what count.
// Run through ./run.sh, which installs and builds what this needs. Options:
//   --rounds N (3)  --duration S (5)  --connections 1,10,50  --only cc,api,refresh,login,startup
// BENCH_BUILD_ROOT=/path/to/another/checkout measures that checkout's Release builds instead
// (for before/after figures in one session); BENCH_CORES overrides the cores used per core.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { appHostColdStart, freePort, repoRoot, startPostgres, startService, workingSetMiB } from './lib/processes.mjs';
import { basic, loginSequence, prepareRefreshTokens, refreshRequest } from './lib/oauth.mjs';

const options = parseOptions(process.argv.slice(2));
const cores = Number(process.env.BENCH_CORES) || availableParallelism();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const logs = join(repoRoot, 'bench', 'results', 'logs', stamp);
mkdirSync(logs, { recursive: true });

const buildRoot = process.env.BENCH_BUILD_ROOT || repoRoot;
const results = { machine: machine(), options, buildRoot, rows: [] };
const secret = () => randomBytes(16).toString('hex');
const benchSecret = secret();
const user = { name: 'alice', password: secret() };
const webclient = { id: 'webclient', secret: secret(), redirectUri: 'http://127.0.0.1:9/bench-callback', scope: 'openid offline_access notes.read' };
const spa = { id: 'spa', redirectUri: 'http://127.0.0.1:9/spa-callback', scope: 'openid offline_access notes.read' };

const running = [];
try {
  if (options.only.some((s) => s !== 'startup'))
    await measureServices();
  if (options.only.includes('startup'))
    await measureColdStart();
} finally {
  for (const service of running.reverse()) await service.stop().catch(() => {});
}

printTable(results.rows);
const json = JSON.stringify(results, null, 2);
if (!process.env.BENCH_BUILD_ROOT) writeFileSync(join(repoRoot, 'bench', 'results', 'latest.json'), json + '\n');
writeFileSync(join(logs, 'results.json'), json + '\n');
console.log(`\nWritten: ${process.env.BENCH_BUILD_ROOT ? "" : "bench/results/latest.json, "}${join(logs, "results.json")}`);

async function measureServices() {
  const postgres = await startPostgres(logs);
  running.push(postgres);
  const [authPort, apiPort, peerPort] = [await freePort(), await freePort(), await freePort()];
  const auth = `http://127.0.0.1:${authPort}`;
  const api = `http://127.0.0.1:${apiPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;

  // Release builds, standalone, Development (plain http on loopback; everything else as shipped).
  const dotnetEnv = { ASPNETCORE_ENVIRONMENT: 'Development', DOTNET_gcServer: '1' };
  const authServer = await startService('authserver', 'dotnet', [join(buildRoot, 'AuthServer/bin/Release/net10.0/AuthServer.dll')], {
    ...dotnetEnv,
    ASPNETCORE_URLS: auth,
    ConnectionStrings__authdb: postgres.connectionString('authdb'),
    AuthServer__Issuer: `${auth}/`,
    AuthServer__Clients__bench__ClientSecret: benchSecret,
    AuthServer__Clients__bench__GrantTypes__0: 'client_credentials',
    AuthServer__Clients__bench__Scopes__0: 'stats.read',
    ...clientSettings(webclient),
    ...clientSettings(spa),
    AuthServer__Users__alice__Password: user.password,
  }, `${auth}/health`, logs);
  running.push(authServer);
  const resourceApi = await startService('resourceapi', 'dotnet', [join(buildRoot, 'ResourceApi/bin/Release/net10.0/ResourceApi.dll')], {
    ...dotnetEnv,
    ASPNETCORE_URLS: api,
    ConnectionStrings__apidb: postgres.connectionString('apidb'),
    Authentication__Authority: auth,
  }, `${api}/health`, logs);
  running.push(resourceApi);
  const peerServer = await startService('peer', 'node', [join(repoRoot, 'bench/peer/server.mjs'), String(peerPort), benchSecret], {}, `${peer}/.well-known/openid-configuration`, logs);
  running.push(peerServer);

  const cc = (url) => ({
    url, method: 'POST',
    headers: { authorization: basic('bench', benchSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=stats.read',
  });
  const ours = cc(`${auth}/connect/token`);
  const theirs = cc(`${peer}/token`);
  const accessToken = (await (await fetch(ours.url, ours)).json()).access_token;
  const me = { url: `${api}/api/me`, headers: { authorization: `Bearer ${accessToken}` } };
  const anonymous = { url: `${api}/` };

  console.log('Warming up…');
  for (const target of [ours, theirs, me, anonymous]) await load(target, 10, { duration: 3 });

  for (let round = 1; round <= options.rounds; round++) {
    for (const connections of options.connections) {
      console.log(`Round ${round}, ${connections} connection(s)`);
      // A/B alternate who goes first, so neither always meets a warmer or cooler machine.
      const pair = async (name, a, b, baseline) => {
        const [first, second] = round % 2 ? [a, b] : [b, a];
        const r1 = await load(first, connections);
        const r2 = await load(second, connections);
        const [ra, rb] = round % 2 ? [r1, r2] : [r2, r1];
        record(name, connections, round, ra, rb, baseline);
      };
      if (options.only.includes('cc'))
        await pair('client-credentials tokens/s', ours, theirs, 'oidc-provider');
      if (options.only.includes('api'))
        await pair('GET /api/me with a token, req/s', me, anonymous, 'anonymous GET /');
      if (options.only.includes('refresh')) {
        for (const client of [webclient, spa]) {
          const amount = Math.max(200, Math.min(2000, 60 * connections + 200));
          const tokens = await prepareRefreshTokens(auth, client, user, amount + connections * 2);
          // Timed from the first request to the last answer: autocannon ends a fixed amount on its
          // one-second tick, which would round the rate.
          const span = { first: null, last: null };
          const result = await load({
            url: `${auth}/connect/token`, method: 'POST',
            requests: [{
              setupRequest: (req) => { span.first ??= performance.now(); return { ...req, ...refreshRequest(client, tokens.pop()) }; },
              onResponse: () => { span.last = performance.now(); },
            }],
          }, connections, { amount });
          result.seconds = (span.last - span.first) / 1000;
          result.throughput = result.ok / result.seconds;
          record(`refresh grants/s (${client.id})`, connections, round, result);
        }
      }
      if (options.only.includes('login')) {
        const completed = { count: 0 };
        const result = await load({ url: auth, requests: loginSequence(auth, webclient, user, completed) }, connections, { duration: options.duration * 2 });
        result.throughput = completed.count / result.seconds;
        result.p50 = result.p99 = null; // per-request latency says little about a six-step login
        record('browserless logins/s', connections, round, result);
      }
    }
  }

  results.rows.push({ name: 'working set after the load, MiB', connections: null, values: [
    { label: 'authserver', value: workingSetMiB(authServer.pid) },
    { label: 'resourceapi', value: workingSetMiB(resourceApi.pid) },
    { label: 'oidc-provider', value: workingSetMiB(peerServer.pid) },
  ] });
}

async function measureColdStart() {
  // Nothing else runs meanwhile: the AppHost starts PostgreSQL and four services on these cores.
  for (const service of running.splice(0).reverse()) await service.stop();
  const seconds = [];
  for (let run = 1; run <= options.rounds; run++) {
    const s = await appHostColdStart(logs, run);
    console.log(`Cold start ${run}: ${s === null ? 'did not become healthy' : `${s.toFixed(1)} s`}`);
    seconds.push(s);
  }
  results.rows.push({ name: 'cold start of dotnet run --project AppHost to all healthy, s', connections: null, rounds: seconds, median: median(seconds.filter((s) => s !== null)) });
}

async function load(target, connections, overrides = {}) {
  const settings = { connections, pipelining: 1, timeout: 30, duration: options.duration, ...target, ...overrides };
  if (settings.amount) delete settings.duration; // a fixed number of requests, however long they take
  const result = await autocannon(settings);
  // Wall time from start to finish, in ms precision (result.duration is rounded to seconds).
  const seconds = (new Date(result.finish) - new Date(result.start)) / 1000;
  const ok = result['2xx'];
  // Redirects are steps of a login, not failures; anything 4xx/5xx, refused or timed out is.
  const failed = result['4xx'] + result['5xx'] + result.errors + result.timeouts;
  return { throughput: ok / seconds, p50: result.latency.p50, p99: result.latency.p99, ok, failed, seconds, statusCodes: result.statusCodeStats };
}

function record(name, connections, round, a, b, baseline) {
  let row = results.rows.find((r) => r.name === name && r.connections === connections);
  if (!row) results.rows.push(row = { name, connections, baseline, rounds: [] });
  row.rounds.push({ round, ours: a, baseline: b });
  const failures = a.failed + (b?.failed ?? 0);
  console.log(`  ${name}: ${a.throughput.toFixed(0)}${b ? ` vs ${b.throughput.toFixed(0)} (${(a.throughput / b.throughput).toFixed(2)}×)` : ''}${failures ? `, ${failures} failed` : ''}`);
}

function clientSettings(client) {
  const prefix = `AuthServer__Clients__${client.id}__`;
  return {
    ...(client.secret ? { [`${prefix}ClientSecret`]: client.secret } : {}),
    [`${prefix}RedirectUris__0`]: client.redirectUri,
    [`${prefix}GrantTypes__0`]: 'authorization_code',
    [`${prefix}GrantTypes__1`]: 'refresh_token',
    [`${prefix}Scopes__0`]: 'openid',
    [`${prefix}Scopes__1`]: 'offline_access',
    [`${prefix}Scopes__2`]: 'notes.read',
    [`${prefix}ConsentType`]: 'explicit',
  };
}

function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((x, y) => x - y);
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarize(row) {
  const pick = (side, key) => median(row.rounds.map((r) => r[side]?.[key]));
  return {
    ours: pick('ours', 'throughput'), theirs: pick('baseline', 'throughput'),
    oursP50: pick('ours', 'p50'), oursP99: pick('ours', 'p99'), theirsP50: pick('baseline', 'p50'), theirsP99: pick('baseline', 'p99'),
    failed: row.rounds.reduce((n, r) => n + r.ours.failed + (r.baseline?.failed ?? 0), 0),
    ratio: median(row.rounds.map((r) => (r.baseline ? r.ours.throughput / r.baseline.throughput : null))),
  };
}

function printTable(rows) {
  const lines = [
    `Machine: ${results.machine.cpu}, ${cores} cores used for per-core figures, ${results.machine.memoryGiB} GiB; .NET ${results.machine.dotnet}, Node ${results.machine.node}; ${results.machine.date}`,
    `Crypto here (system OpenSSL, one core): RS256 ${results.machine.rsaSignPerSecond ?? '?'} signatures/s; PBKDF2-HMAC-SHA512 × 100,000 (Identity's password hash) ${results.machine.pbkdf2Sha512Ms ?? '?'} ms.`,
    `Medians of ${options.rounds} alternating rounds of ${options.duration} s (refresh: a fixed number of distinct tokens).`,
    '',
    '| measure | conns | OAuthDemo | baseline | ratio | p50 / p99 ms (OAuthDemo) | p50 / p99 ms (baseline) | failed |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  const fmt = (v, digits = 0) => (v === null || v === undefined ? '–' : v.toFixed(digits));
  for (const row of rows) {
    if (row.values) {
      lines.push(`| ${row.name} | | ${row.values.map((v) => `${v.label} ${fmt(v.value)}`).join(', ')} | | | | | |`);
      continue;
    }
    if (row.median !== undefined) {
      lines.push(`| ${row.name} | | ${fmt(row.median, 1)} | | | runs: ${row.rounds.map((s) => fmt(s, 1)).join(', ')} | | |`);
      continue;
    }
    const s = summarize(row);
    const perCore = row.baseline ? '' : ` (${fmt(s.ours / cores)}/core)`;
    row.summary = s;
    lines.push(`| ${row.name} | ${row.connections} | ${fmt(s.ours)}${perCore} | ${row.baseline ? `${row.baseline} ${fmt(s.theirs)}` : ''} | ${row.baseline ? fmt(s.ratio, 2) + '×' : ''} | ${fmt(s.oursP50, 1)} / ${fmt(s.oursP99, 1)} | ${row.baseline ? `${fmt(s.theirsP50, 1)} / ${fmt(s.theirsP99, 1)}` : ''} | ${s.failed} |`);
  }
  results.table = lines.join('\n');
  console.log('\n' + results.table);
}

function machine() {
  const version = (command, args) => { try { return execFileSync(command, args, { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } };
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    dotnet: version('dotnet', ['--version']),
    node: process.version,
    date: new Date().toISOString(),
    ...cryptoSpeed(),
  };
}

/**
 * What bounds the absolute figures, measured with the system's OpenSSL (the one .NET uses): RS256
 * signatures per second on one core, and one PBKDF2-HMAC-SHA512 with 100,000 iterations (ASP.NET
 * Core Identity's password hash) in milliseconds.
 */
function cryptoSpeed() {
  try {
    const speed = execFileSync('openssl', ['speed', '-seconds', '2', 'rsa2048'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rsaSignPerSecond = Number(/rsa 2048 bits\s+\S+\s+\S+\s+([\d.]+)/.exec(speed)?.[1]);
    const started = performance.now();
    execFileSync('openssl', ['kdf', '-keylen', '64', '-kdfopt', 'digest:SHA512', '-kdfopt', 'pass:password', '-kdfopt', 'salt:0123456789abcdef',
      '-kdfopt', 'iter:100000', 'PBKDF2'], { stdio: 'ignore' });
    return { rsaSignPerSecond, pbkdf2Sha512Ms: Math.round(performance.now() - started) };
  } catch {
    return {};
  }
}

function parseOptions(argv) {
  const get = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  return {
    rounds: Number(get('rounds', 3)),
    duration: Number(get('duration', 5)),
    connections: get('connections', '1,10,50').split(',').map(Number),
    only: get('only', 'cc,api,refresh,login,startup').split(','),
  };
}
