// The browser suites' harness: the real confide-server on a scratch SQLite database with the demo
// clinic, over TLS with a throwaway self-signed certificate, and headless Debian Chromium driven
// by playwright-core. Nothing is mocked: the portal talks to the real REST API.
//
// Environment:
//   CONFIDE_SERVER_BIN, CONFIDE_CTL_BIN  the binaries (default: build/apps/ in this checkout)
//   CONFIDE_BROWSER_ARTIFACTS            where screenshots go (default: build/browser-artifacts)
//   CONFIDE_CHROMIUM                     the browser (default: /usr/bin/chromium)

import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverBin =
  process.env.CONFIDE_SERVER_BIN || path.join(repoRoot, 'build', 'apps', 'confide-server');
export const ctlBin =
  process.env.CONFIDE_CTL_BIN || path.join(repoRoot, 'build', 'apps', 'confidectl');
export const artifactsDir =
  process.env.CONFIDE_BROWSER_ARTIFACTS || path.join(repoRoot, 'build', 'browser-artifacts');
export const chromiumPath = process.env.CONFIDE_CHROMIUM || '/usr/bin/chromium';
export const webDir = path.join(repoRoot, 'web');

export const DEMO_PASSWORD = 'demo-Confide-2026';
export const JO = 'jo.patient@demo.confide.test';
export const SAM = 'sam.therapist@demo.confide.test';

// The two widths every screen is seen at: a small phone and a desktop.
export const VIEWPORTS = [
  { name: 'phone', width: 360, height: 800 },
  { name: 'desktop', width: 1280, height: 900 },
];

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const COMMAND_TIMEOUT_MS = 60_000;

// The environment for every child: ours minus any CONFIDE_* setting that could steer the server
// away from what the test asks for, plus what tests/api/test_server.cc sets: cheap Argon2
// parameters (for confidectl too, so the demo hashes are cheap to verify), and a per-address
// lockout threshold and sign-in rate limit that every sign-in from 127.0.0.1 stays under.
function childEnvironment(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CONFIDE_')) env[key] = value;
  }
  env.CONFIDE_AUTH_ARGON2_MEMORY_KIB = '1024';
  env.CONFIDE_AUTH_ARGON2_TIME_COST = '1';
  env.CONFIDE_AUTH_LOCKOUT_ADDRESS_THRESHOLD = '100000';
  env.CONFIDE_REST_SIGN_IN_ATTEMPTS_PER_MINUTE = '1000000';
  return { ...env, ...extra };
}

async function run(file, args, env) {
  try {
    const { stdout } = await execFileAsync(file, args, {
      env, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    throw new Error(`${path.basename(file)} ${args.join(' ')} failed: ${error.message}\n` +
                    `${error.stdout || ''}${error.stderr || ''}`);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// A self-signed P-256 certificate for localhost and 127.0.0.1, valid two days.
export async function makeCertificate(dir) {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ], childEnvironment());
  return { certFile, keyFile };
}

// Starts confide-server on a fresh temp dir: `confidectl keygen`, `confidectl demo load`, a
// certificate (unless tls is false), port 0 for REST and gRPC, and the ports file to learn them.
// `env` adds CONFIDE_* settings. Resolves to a handle whose stop() sends SIGTERM and waits.
export async function startServer({ tls = true, env = {} } = {}) {
  for (const bin of [serverBin, ctlBin]) {
    if (!fs.existsSync(bin)) {
      throw new Error(`${bin} does not exist: build first (scripts/build), or set ` +
                      'CONFIDE_SERVER_BIN and CONFIDE_CTL_BIN');
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confide_browser_'));
  const databaseUrl = `sqlite:${path.join(dir, 'confide.db')}`;
  const masterKeyFile = path.join(dir, 'master.key');
  const serverEnv = {
    CONFIDE_DATABASE_URL: databaseUrl,
    CONFIDE_AUTH_MASTER_KEY_FILE: masterKeyFile,
    CONFIDE_PORTAL_WEB_DIR: webDir,
    ...env,
  };
  let certificate = null;
  if (tls) {
    certificate = await makeCertificate(dir);
    serverEnv.CONFIDE_REST_TLS_CERT_FILE = certificate.certFile;
    serverEnv.CONFIDE_REST_TLS_KEY_FILE = certificate.keyFile;
  }
  const childEnv = childEnvironment(serverEnv);
  await run(ctlBin, ['--master-key-file', masterKeyFile, 'keygen'], childEnv);
  await run(ctlBin, ['--database-url', databaseUrl, '--master-key-file', masterKeyFile,
                     'demo', 'load'], childEnv);

  const portsFile = path.join(dir, 'ports.json');
  const logFile = path.join(dir, 'server.log');
  const logFd = fs.openSync(logFile, 'a');
  // setpriv kills the server should this process die without stopping it (a crash, a timeout).
  const child = spawn('setpriv', [
    '--pdeathsig', 'KILL', '--', serverBin,
    '--database-url', databaseUrl, '--master-key-file', masterKeyFile,
    '--rest-address', '127.0.0.1', '--rest-port', '0',
    '--grpc-address', '127.0.0.1', '--grpc-port', '0',
    '--ports-file', portsFile,
  ], { env: childEnv, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  let exited = null;
  const exitPromise = once(child, 'exit').then(([code, signal]) => {
    exited = { code, signal };
    return exited;
  });
  const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');

  const deadline = Date.now() + START_TIMEOUT_MS;
  let ports = null;
  while (ports === null) {
    if (fs.existsSync(portsFile)) {
      try {
        const parsed = JSON.parse(fs.readFileSync(portsFile, 'utf8'));
        if (Number.isInteger(parsed.rest) && Number.isInteger(parsed.grpc)) ports = parsed;
      } catch {
        // renamed into place when complete; a partial read is retried
      }
    }
    if (ports !== null) break;
    if (exited !== null) {
      throw new Error(`confide-server exited (${JSON.stringify(exited)}) before writing its ` +
                      `ports file; its log:\n${readLog()}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`confide-server wrote no ports file within 30 s; its log:\n${readLog()}`);
    }
    await sleep(20);
  }

  const scheme = tls ? 'https' : 'http';
  const server = {
    dir,
    env: childEnv,
    tls,
    certificate,
    restPort: ports.rest,
    grpcPort: ports.grpc,
    baseUrl: `${scheme}://127.0.0.1:${ports.rest}`,
    // The browser's origin (the certificate names 127.0.0.1 too).
    origin: `${scheme}://127.0.0.1:${ports.rest}`,
    log: readLog,
    // SIGTERM, then waits; resolves to an error text ("" when it stopped cleanly).
    async stop({ keepDir = false } = {}) {
      if (exited === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exitPromise;
        clearTimeout(timer);
      }
      const clean = exited.code === 0;
      const problem = clean ? ''
        : `confide-server ended with ${JSON.stringify(exited)} after SIGTERM; its log:\n` +
          readLog();
      if (!keepDir && clean) fs.rmSync(dir, { recursive: true, force: true });
      return problem;
    },
  };
  return server;
}

// One HTTP(S) request to the server, trusting exactly the server's own certificate.
// Resolves to { status, headers, text, json }.
export function request(server, method, urlPath, { headers = {}, body } = {}) {
  const payload = body === undefined ? undefined
    : (typeof body === 'string' ? body : JSON.stringify(body));
  const allHeaders = { ...headers };
  const hasType = Object.keys(allHeaders).some((h) => h.toLowerCase() === 'content-type');
  if (payload !== undefined && !hasType) {
    allHeaders['Content-Type'] = 'application/json';
  }
  const options = {
    host: '127.0.0.1',
    port: server.restPort,
    method,
    path: urlPath,
    headers: allHeaders,
  };
  const transport = server.tls ? https : http;
  if (server.tls) {
    options.ca = fs.readFileSync(server.certificate.certFile);
    options.servername = 'localhost';
  }
  return new Promise((resolve, reject) => {
    const req = transport.request(options, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = text ? JSON.parse(text) : {};
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(COMMAND_TIMEOUT_MS,
                   () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// The demo staff accounts' current TOTP code. Each code signs in once, so a suite signs each
// staff account in once (staffClient caches its clients per server).
export async function totpCode(server) {
  const out = await run(ctlBin, ['demo', 'totp-code'], server.env);
  return out.trim();
}

// Runs confidectl against the server's database and master key; resolves to its stdout.
export function confidectl(server, args) {
  return run(ctlBin, args, server.env);
}

const staffClients = new WeakMap();

// An API client signed in with a Bearer token, as a clinician's app would be.
// Its get/post/patch/delete resolve to { status, json, ... } and never throw on non-2xx.
export async function apiClient(server, email, { staff = false } = {}) {
  let cache = staffClients.get(server);
  if (!cache) {
    cache = new Map();
    staffClients.set(server, cache);
  }
  if (cache.has(email)) return cache.get(email);
  const credentials = { email, password: DEMO_PASSWORD };
  if (staff) credentials.totpCode = await totpCode(server);
  const login = await request(server, 'POST', '/v1/auth/login', { body: credentials });
  if (login.status !== 200 || !login.json || !login.json.sessionToken) {
    throw new Error(`${email} could not sign in: ${login.status} ${login.text}`);
  }
  const token = login.json.sessionToken;
  const call = (method) => (urlPath, body) => request(server, method, urlPath, {
    headers: { Authorization: `Bearer ${token}` }, body,
  });
  const client = {
    user: login.json.user,
    token,
    get: call('GET'),
    post: call('POST'),
    patch: call('PATCH'),
    delete: call('DELETE'),
  };
  cache.set(email, client);
  return client;
}

export function staffClient(server, email = SAM) {
  return apiClient(server, email, { staff: true });
}

// ---------------------------------------------------------------------------------------------
// The browser.

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// The browser never leaves the machine: every host name but the loopback ones fails to resolve.
// (Not a Playwright route: a route intercepts every request, and a request held up in the
// interception dies with its page, which would turn the quick exit's keepalive sign-out flaky.)
export const OFFLINE_ARG =
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost';

// Debian Chromium through playwright-core. Playwright gives every launch a fresh, empty
// --user-data-dir of its own (removed at close), so no profile carries over between runs.
export async function launchBrowser() {
  // playwright-core lives in web/node_modules (scripts/setup installs it from the lock file).
  const { chromium } = createRequire(path.join(webDir, 'package.json'))('playwright-core');
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} does not exist: scripts/setup installs Debian chromium`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...CHROMIUM_ARGS, OFFLINE_ARG],
    // --headless=new is in CHROMIUM_ARGS; Playwright's own headless switch must not add another.
    ignoreDefaultArgs: ['--headless'],
  });
}

// A fresh browser context (its own cookies) on the server's origin, with problems collected:
// page errors, console errors and Content-Security-Policy violations end up in `problems`,
// which the suites assert empty.
export async function newPortalContext(browser, server, viewport = VIEWPORTS[1]) {
  const context = await browser.newContext({
    baseURL: server.origin,
    ignoreHTTPSErrors: true,
    viewport: { width: viewport.width, height: viewport.height },
    locale: 'en-GB',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  // Generous for a loaded CI machine, but a missing element fails a step well before ctest's limit.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return { context, page, problems };
}

// Signs in through the portal's own sign-in screen and waits for the first screen after it.
export async function signIn(page, email = JO, password = DEMO_PASSWORD) {
  await page.goto('/#/signin');
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/^password/i).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/signin'), null,
                             { timeout: 15_000 });
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

// The __Host- session cookie, if the browser holds one.
export async function sessionCookie(context) {
  const cookies = await context.cookies();
  return cookies.find((c) => c.name === '__Host-confide-session') || null;
}

function safeName(name) {
  return name.replace(/[^a-z0-9-]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

const axeSource = () =>
  fs.readFileSync(path.join(webDir, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// Runs axe-core in the page and resolves to the violations of impact serious or critical.
// axe is evaluated through the DevTools protocol, which the page's CSP does not govern, so the
// portal is checked under its real policy (a <script> tag with inline text would be refused).
export async function accessibilityViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(axeSource());
  const results = await page.evaluate(async () => {
    const outcome = await window.axe.run(document, { resultTypes: ['violations'] });
    return outcome.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations) {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`)
    .join('\n');
}

// Sees the current screen at both widths: a full-page screenshot into the artifacts folder,
// axe-core with zero serious or critical violations, and no horizontal scrolling. Returns the
// problems found (empty when all is well) so the caller asserts them with the screen's name.
export async function checkScreen(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const original = page.viewportSize();
  const problems = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
    const file =
      path.join(artifactsDir, `${safeName(name)}-${viewport.width}x${viewport.height}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const violations = await accessibilityViolations(page);
    if (violations.length > 0) {
      problems.push(`${name} at ${viewport.width}px:\n${describeViolations(violations)}`);
    }
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) {
      problems.push(`${name} at ${viewport.width}px scrolls sideways by ${overflow}px`);
    }
  }
  if (original) await page.setViewportSize(original);
  return problems;
}

// Saves what the page looks like as FAILED-<name>.png, for a failing step; never throws.
export async function saveFailureScreenshot(page, name) {
  try {
    fs.mkdirSync(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, `FAILED-${safeName(name)}.png`);
    await page.screenshot({ path: file, fullPage: true });
  } catch {
    // the page may be gone; the test's own error is what matters
  }
}
