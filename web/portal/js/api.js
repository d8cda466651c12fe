// The portal's only way to the server: the public REST API under /v1, authenticated by the
// HttpOnly session cookie the gateway sets at sign-in. Non-GET requests carry the CSRF token
// from the (JS-readable) __Host-confide-csrf cookie. Nothing is kept in browser storage.

const CSRF_COOKIE = '__Host-confide-csrf';

// A non-2xx answer. `code` is the google.rpc code name (e.g. "INVALID_ARGUMENT"),
// `fieldViolations` the BadRequest details as [{field, description}], `reason` the ErrorInfo
// reason when there is one (e.g. "MFA_REQUIRED", "SIGN_IN_LOCKED").
export class ApiError extends Error {
  constructor(status, code, message, fieldViolations, reason) {
    super(message || 'Something went wrong.');
    this.name = 'ApiError';
    this.status = status;
    this.code = code || '';
    this.fieldViolations = fieldViolations || [];
    this.reason = reason || '';
  }
}

const CODE_NAMES = {
  1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS', 7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION', 10: 'ABORTED', 11: 'OUT_OF_RANGE', 12: 'UNIMPLEMENTED',
  13: 'INTERNAL', 14: 'UNAVAILABLE', 15: 'DATA_LOSS', 16: 'UNAUTHENTICATED',
};

const STATUS_CODES = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === CSRF_COOKIE) {
      return decodeURIComponent(part.slice(eq + 1).trim());
    }
  }
  return '';
}

function codeName(code, status) {
  if (typeof code === 'string' && code) return code;
  if (typeof code === 'number' && CODE_NAMES[code]) return CODE_NAMES[code];
  return STATUS_CODES[status] || 'UNKNOWN';
}

function violationsOf(details) {
  const out = [];
  if (!Array.isArray(details)) return out;
  for (const d of details) {
    if (d && Array.isArray(d.fieldViolations)) {
      for (const v of d.fieldViolations) {
        out.push({ field: v.field || '', description: v.description || '' });
      }
    }
  }
  return out;
}

function reasonOf(details) {
  if (!Array.isArray(details)) return '';
  const info = details.find((d) => d && typeof d.reason === 'string');
  return info ? info.reason : '';
}

async function errorFrom(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  let message = typeof body.message === 'string' ? body.message : '';
  if (response.status === 429) {
    const seconds = Number(response.headers.get('Retry-After'));
    message = seconds > 0
      ? `Too many tries just now. Please wait ${seconds} seconds and try again.`
      : 'Too many tries just now. Please wait a moment and try again.';
  } else if (response.status === 403 && /csrf/i.test(message)) {
    // The CSRF cookie is gone (cookies cleared) or belongs to another session.
    message = 'For your safety this page needs a fresh start. Please reload it and try again.';
  } else if (!message) {
    message = response.status >= 500
      ? 'The service is having trouble right now. Please try again in a little while.'
      : 'Something went wrong. Please try again.';
  }
  return new ApiError(response.status, codeName(body.code, response.status), message,
                      violationsOf(body.details), reasonOf(body.details));
}

function signedOut() {
  window.dispatchEvent(new CustomEvent('confide:signed-out'));
}

async function request(method, path, body, extraHeaders, isSignIn) {
  const headers = { Accept: 'application/json', ...(extraHeaders || {}) };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined && body !== null) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'UNAVAILABLE',
                       'We could not reach the service. Please check your connection and try again.',
                       []);
  }
  if (!response.ok) {
    const err = await errorFrom(response);
    if (response.status === 401 && !isSignIn) signedOut();
    throw err;
  }
  if (response.status === 204) return {};
  const text = await response.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

// Calls the REST API: api('GET', '/v1/clients/me/progress') → parsed JSON (or {}).
export async function api(method, path, body) {
  return request(method, path, body, undefined, false);
}

// Signs in with a cookie session; returns the User ({id, displayName, role, clientId, ...}).
export async function signIn(email, password) {
  const answer = await request('POST', '/v1/auth/login', { email, password },
                               { 'X-Confide-Session': 'cookie' }, true);
  return answer.user || {};
}

// Ends the session (the gateway clears both cookies). Never throws.
export async function signOut() {
  try {
    await request('POST', '/v1/auth/logout', {}, undefined, true);
  } catch {
    // Already signed out, or offline: either way the portal shows the sign-in screen.
  }
  // The gateway clears both cookies; if the answer was lost, forget the CSRF one here so a
  // reload does not bring the signed-in portal back.
  forgetCsrfCookie();
}

// Fire-and-forget sign-out that survives the page going away (quick exit).
export function signOutInBackground() {
  try {
    const headers = { 'Content-Type': 'application/json' };
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
    fetch('/v1/auth/logout', {
      method: 'POST', headers, body: '{}', credentials: 'same-origin', keepalive: true,
    }).catch(() => {});
  } catch {
    // Nothing to do: the page is leaving.
  }
  // Should that request never arrive, the portal still forgets the session: without the CSRF
  // cookie a reload (or Back) shows the sign-in screen, not her record.
  forgetCsrfCookie();
}

function forgetCsrfCookie() {
  try {
    document.cookie = `${CSRF_COOKIE}=; Path=/; Secure; SameSite=Strict; Max-Age=0`;
  } catch {
    // Cookies switched off: nothing was kept.
  }
}
