// The gateway's TLS, probed with `openssl s_client` as an outside client would: TLS 1.2 and 1.3
// with strong ciphers only (Mozilla "intermediate"), TLS 1.0 and 1.1 and weak ciphers refused,
// and HSTS plus a strict Content-Security-Policy on what it serves.
//
// A refusal only means something when the client really offered the old protocol or the weak
// cipher. So the client runs without the system OpenSSL configuration and at security level 0,
// and every refusal is paired with a control: the same client command against a plain
// `openssl s_server` that allows everything (same certificate) must succeed. The refusal must
// also be the server's alert, never a client-side "no protocols/ciphers available".

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';

import { request, startServer } from './harness.mjs';

// No system openssl.cnf (Debian's may raise the minimum protocol or security level client-side).
const OPENSSL_ENV = { ...process.env, OPENSSL_CONF: '/dev/null' };

let server;
let control;

// Runs `openssl s_client -brief` against 127.0.0.1:port with stdin closed (it shakes hands, then
// quits), verifying the server's certificate against the one the harness made. Resolves to
// { code, output, protocol, cipher } (protocol and cipher null when no session was made).
function sClient(port, args) {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', [
      's_client', '-brief', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost',
      '-CAfile', server.certificate.certFile, '-verify_return_error',
      '-verify_hostname', 'localhost',
      ...args,
    ], { env: OPENSSL_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const established = /CONNECTION ESTABLISHED/.test(output);
      const protocol = /^Protocol version: (\S+)/m.exec(output);
      const cipher = /^Ciphersuite: (\S+)/m.exec(output);
      resolve({
        code,
        output,
        protocol: established && protocol ? protocol[1] : null,
        cipher: established && cipher ? cipher[1] : null,
      });
    });
  });
}

// A permissive `openssl s_server` on the same certificate: the control for every refusal.
async function startControlServer(certificate) {
  // setpriv: it dies with this process, whatever ends it.
  const child = spawn('setpriv', [
    '--pdeathsig', 'KILL', '--', 'openssl', 's_server', '-accept', '127.0.0.1:0',
    '-cert', certificate.certFile, '-key', certificate.keyFile,
    '-cipher', 'ALL:eNULL:aNULL:@SECLEVEL=0', '-www',
  ], { env: OPENSSL_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s_server did not start: ${output}`)), 20_000);
    child.stdout.on('data', (d) => {
      output += d;
      const match = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', () => reject(new Error(`s_server exited: ${output}`)));
  });
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

function describeRun(run) {
  return `exit ${run.code}, protocol ${run.protocol}, cipher ${run.cipher}\n` +
         run.output.slice(0, 1500);
}

// The client-side failures that would make a "refused" meaningless.
const CLIENT_SIDE =
  /no protocols available|no ciphers available|no cipher match|Error in cipher list/i;

async function assertRefusedByServer(args, serverAlert) {
  const allowed = await sClient(control.port, args);
  assert.equal(allowed.code, 0,
               `control server should accept ${args.join(' ')}: ${describeRun(allowed)}`);
  assert.ok(allowed.cipher, `control handshake established nothing: ${describeRun(allowed)}`);

  const refused = await sClient(server.restPort, args);
  assert.notEqual(refused.code, 0,
                  `confide-server accepted ${args.join(' ')}: ${describeRun(refused)}`);
  assert.equal(refused.cipher, null, `a session was established: ${describeRun(refused)}`);
  assert.doesNotMatch(refused.output, CLIENT_SIDE,
                      `the client, not the server, refused: ${describeRun(refused)}`);
  assert.match(refused.output, serverAlert, `expected the server's alert: ${describeRun(refused)}`);
}

before(async () => {
  server = await startServer({ tls: true });
  control = await startControlServer(server.certificate);
});

after(async () => {
  if (control) await control.stop();
  if (server) {
    const problem = await server.stop();
    assert.equal(problem, '');
  }
});

describe('protocol versions', () => {
  test('TLS 1.3 is accepted', async () => {
    const run = await sClient(server.restPort, ['-tls1_3']);
    assert.equal(run.code, 0, describeRun(run));
    assert.equal(run.protocol, 'TLSv1.3', describeRun(run));
    assert.match(run.cipher,
                 /^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/);
  });

  test('TLS 1.2 is accepted with a forward-secret AEAD cipher', async () => {
    const run = await sClient(server.restPort, ['-tls1_2']);
    assert.equal(run.code, 0, describeRun(run));
    assert.equal(run.protocol, 'TLSv1.2', describeRun(run));
    assert.match(run.cipher,
                 /^ECDHE-(ECDSA|RSA)-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)$/,
                 describeRun(run));
  });

  // Each of Mozilla's "intermediate" suites for an ECDSA certificate is on offer.
  for (const cipher of ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384',
                        'ECDHE-ECDSA-CHACHA20-POLY1305']) {
    test(`TLS 1.2 with ${cipher} is accepted`, async () => {
      const run = await sClient(server.restPort, ['-tls1_2', '-cipher', cipher]);
      assert.equal(run.code, 0, describeRun(run));
      assert.equal(run.cipher, cipher, describeRun(run));
    });
  }
  for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384',
                       'TLS_CHACHA20_POLY1305_SHA256']) {
    test(`TLS 1.3 with ${suite} is accepted`, async () => {
      const run = await sClient(server.restPort, ['-tls1_3', '-ciphersuites', suite]);
      assert.equal(run.code, 0, describeRun(run));
      assert.equal(run.cipher, suite, describeRun(run));
    });
  }

  // The server answers an old ClientHello with a protocol_version alert.
  test('TLS 1.0 is refused by the server', async () => {
    await assertRefusedByServer(['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0'],
                                /alert protocol version|unsupported protocol/i);
  });

  test('TLS 1.1 is refused by the server', async () => {
    await assertRefusedByServer(['-tls1_1', '-cipher', 'DEFAULT:@SECLEVEL=0'],
                                /alert protocol version|unsupported protocol/i);
  });
});

describe('weak TLS 1.2 ciphers are refused by the server', () => {
  // With no cipher in common the server answers handshake_failure (or insufficient_security).
  const alert = /alert handshake failure|alert insufficient security|no shared cipher/i;
  const weak = {
    'RC4, DES, 3DES, NULL, EXPORT and anonymous (those this OpenSSL still has)':
      'RC4:DES:3DES:NULL:EXPORT:aNULL:@SECLEVEL=0',
    'NULL encryption': 'eNULL:NULL:@SECLEVEL=0',
    'anonymous key exchange': 'aNULL:@SECLEVEL=0',
    'CBC with SHA-1 (ECDHE-ECDSA-AES128-SHA, ECDHE-ECDSA-AES256-SHA)':
      'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:@SECLEVEL=0',
    'CBC with SHA-2 (ECDHE-ECDSA-AES128-SHA256, ECDHE-ECDSA-AES256-SHA384)':
      'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:@SECLEVEL=0',
  };
  for (const [name, cipher] of Object.entries(weak)) {
    test(name, async () => {
      await assertRefusedByServer(['-tls1_2', '-cipher', cipher], alert);
    });
  }
});

describe('security headers over TLS', () => {
  // The portal's policy, as the design fixes it.
  const PORTAL_POLICY = {
    'default-src': ["'self'"], 'script-src': ["'self'"], 'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"], 'font-src': ["'self'"],
    'frame-ancestors': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'self'"],
    'object-src': ["'none'"],
  };

  function directivesOf(csp) {
    return Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name.toLowerCase(), values];
      }));
  }

  // HSTS of at least six months, nosniff, and a CSP that is strict: a default of 'self' or
  // 'none', no framing, no inline or eval'd code, no wildcard. Returns the CSP's directives.
  function assertStrictHeaders(response, what) {
    const hsts = response.headers['strict-transport-security'];
    assert.ok(hsts, `${what}: no Strict-Transport-Security header`);
    const maxAge = /max-age=(\d+)/i.exec(hsts);
    assert.ok(maxAge, `${what}: Strict-Transport-Security without max-age: ${hsts}`);
    // At least six months, the floor Mozilla's guidelines and browsers' preload lists ask for.
    assert.ok(Number(maxAge[1]) >= 15_552_000, `${what}: HSTS max-age too short: ${hsts}`);
    assert.equal(response.headers['x-content-type-options'], 'nosniff',
                 `${what}: X-Content-Type-Options`);

    const csp = response.headers['content-security-policy'];
    assert.ok(csp, `${what}: no Content-Security-Policy header`);
    const directives = directivesOf(csp);
    assert.ok(["'self'", "'none'"].includes((directives['default-src'] || []).join(' ')),
              `${what}: default-src must be 'self' or 'none': ${csp}`);
    assert.deepEqual(directives['frame-ancestors'], ["'none'"], `${what}: ${csp}`);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|(^|\s)\*(\s|;|$)/, `${what}: ${csp}`);
    return directives;
  }

  test('the portal page carries HSTS and exactly the portal CSP', async () => {
    const response = await request(server, 'GET', '/');
    assert.equal(response.status, 200, response.text.slice(0, 300));
    assert.match(response.headers['content-type'] || '', /^text\/html/);
    const directives = assertStrictHeaders(response, 'GET /');
    assert.deepEqual(directives, PORTAL_POLICY,
                     `GET /: ${response.headers['content-security-policy']}`);
  });

  test("the portal's script and the API answers carry HSTS and a strict CSP too", async () => {
    const script = await request(server, 'GET', '/js/app.js');
    assert.equal(script.status, 200, script.text.slice(0, 300));
    assertStrictHeaders(script, 'GET /js/app.js');
    const config = await request(server, 'GET', '/config.json');
    assert.equal(config.status, 200, config.text);
    assertStrictHeaders(config, 'GET /config.json');
    const denied = await request(server, 'GET', '/v1/clients/me');
    assert.equal(denied.status, 401, denied.text);
    assertStrictHeaders(denied, 'GET /v1/clients/me (401)');
  });

  test('plain HTTP on the TLS port gets no page', async () => {
    const outcome = await new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: server.restPort, path: '/', timeout: 10_000 },
                           (res) => { res.resume(); resolve(`HTTP ${res.statusCode}`); });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) => resolve(`error ${error.code || error.message}`));
    });
    assert.doesNotMatch(outcome, /^HTTP 2\d\d$/, `plain HTTP was answered: ${outcome}`);
  });
});
