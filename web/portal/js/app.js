// The portal shell: header with quick exit, navigation, hash router, idle sign-out and the
// tab-name preference. Screens live in js/screens/<name>.js and export
// `async function render(main, ctx)`.
//
// `main` is a fresh container inside the <main> element for each navigation (the shell clears
// <main> and drops the old container, so a slow screen that finishes late cannot write into
// the next one). `ctx` is:
//   user          the signed-in User ({id, displayName, role, clientId, ...}) or null
//   params        the route's extra path segments, e.g. ['<programmeId>', '<itemId>']
//   navigate(hash)  go to a route: navigate('#/today')
//   setHeading(text) set (or create) the screen's <h1>; returns it
//   notice        a one-off message for this screen (e.g. why the user was signed out) or ''
//   signedIn(user)  screens signin/welcome call this after a successful sign-in
//   signOut()     sign out and show the sign-in screen
//   setTabTitle(text) save and apply the tab-name preference ('' restores "Confide")
//   config        {idleMinutes, quickExitUrl}

import { api, signOut as apiSignOut, signOutInBackground, csrfToken } from './api.js';
import { h, clear, announce, errorBox } from './dom.js';

const DEFAULT_TITLE = 'Confide';
const DEFAULT_CONFIG = { idleMinutes: 10, quickExitUrl: 'https://www.bbc.co.uk/weather' };
const ESCAPE_WINDOW_MS = 1500;

// Every route; `nav` ones appear in the menu (signed in), `open` ones need no session,
// `partner` ones are the only ones a partner account (ROLE_PARTNER) may open. A partner's menu
// offers a route with a `share` only while the patient shares it (the partner view says so),
// under `partnerLabel` (given the patient's name); without the share the route itself shows a
// kind "nothing shared" page and makes no request the server would refuse.
const ROUTES = [
  { name: 'signin', label: 'Sign in', open: true },
  { name: 'welcome', label: 'Set up your account', open: true },
  { name: 'today', label: 'Today', nav: true, partner: true },
  { name: 'plan', label: 'My plan', nav: true, partner: true,
    share: 'PARTNER_SHARE_PLAN_SUMMARY', partnerLabel: (name) => `${name}’s plan` },
  { name: 'programme', label: 'My programme', nav: true, partner: true,
    share: 'PARTNER_SHARE_PROGRAMME_SCHEDULE', partnerLabel: (name) => `${name}’s programme` },
  { name: 'log', label: 'Log practice', nav: true },
  { name: 'journal', label: 'Journal', nav: true },
  { name: 'progress', label: 'Progress', nav: true, partner: true,
    share: 'PARTNER_SHARE_PROGRESS_SUMMARY', partnerLabel: (name) => `${name}’s progress` },
  { name: 'forms', label: 'Questionnaires', nav: true },
  { name: 'consents', label: 'Consents', nav: true },
  { name: 'sharing', label: 'Partner sharing', nav: true },
  { name: 'access', label: 'Who viewed my record', nav: true },
  { name: 'account', label: 'Account', nav: true, partner: true },
];
const ROUTE_BY_NAME = new Map(ROUTES.map((r) => [r.name, r]));

const state = {
  user: null,
  // A partner's GET …/partnerView answer (whose record, what is shared), refreshed on each
  // navigation so a change of shares shows at once; null for everyone else.
  partnerView: null,
  config: { ...DEFAULT_CONFIG },
  afterSignIn: '#/today',
  notice: '',
  renderToken: 0,
  lastActivity: Date.now(),
  idleTimer: 0,
  lastEscape: 0,
  exiting: false,
};

// ---- tab name -------------------------------------------------------------------------------

function tabTitle() {
  try {
    const saved = localStorage.getItem('tabTitle');
    return saved && saved.trim() ? saved.trim().slice(0, 60) : DEFAULT_TITLE;
  } catch {
    return DEFAULT_TITLE;
  }
}

export function applyTabTitle() {
  document.title = tabTitle();
}

function setTabTitle(text) {
  try {
    if (text && text.trim()) localStorage.setItem('tabTitle', text.trim().slice(0, 60));
    else localStorage.removeItem('tabTitle');
  } catch {
    // Storage switched off: the title still changes for this visit.
  }
  applyTabTitle();
  if (text && text.trim() && document.title !== text.trim().slice(0, 60)) {
    document.title = text.trim().slice(0, 60);
  }
}

// ---- quick exit -----------------------------------------------------------------------------

function quickExit(fromOtherTab) {
  if (state.exiting) return;
  state.exiting = true;
  if (fromOtherTab !== true) {
    // Every other portal tab leaves too (one tab signing out already ends them all).
    tellOtherTabs('quick-exit');
    signOutInBackground();
  }
  state.user = null;
  document.title = '';
  clear(document.body);
  location.replace(state.config.quickExitUrl || DEFAULT_CONFIG.quickExitUrl);
}

// ---- other tabs -----------------------------------------------------------------------------
// The portal's tabs share one session, so they share leaving: quick exit and sign-out in one
// tab clear the others at once, and activity in any tab keeps them all from idle sign-out.
// (A BroadcastChannel carries only these words, never data, and keeps nothing.)

const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('confide') : null;
const ACTIVITY_SHARE_MS = 15000;
let lastActivityShared = 0;

function tellOtherTabs(type) {
  try {
    if (channel) channel.postMessage({ type });
  } catch {
    // No other tabs to tell.
  }
}

function onOtherTab(event) {
  const type = event.data && event.data.type;
  if (type === 'quick-exit') {
    quickExit(true);
  } else if (type === 'signed-out') {
    if (state.user) {
      clearTimeout(state.idleTimer);
      state.idleTimer = 0;
      state.afterSignIn = '#/today';
      toSignIn('You have signed out. Take care.');
    }
  } else if (type === 'active') {
    state.lastActivity = Math.max(state.lastActivity, Date.now());
  }
}

// ---- navigation menu ------------------------------------------------------------------------

function buildNav() {
  const list = document.getElementById('nav-list');
  clear(list);
  for (const route of ROUTES.filter((r) => r.nav)) {
    list.appendChild(h('li', null, h('a', { href: `#/${route.name}`, 'data-route': route.name },
                                      route.label)));
  }
  list.appendChild(h('li', { class: 'nav-signout' },
                     h('button', { type: 'button', class: 'link-button', id: 'sign-out',
                                   onclick: () => signOutNow('You have signed out. Take care.') },
                       'Sign out')));
}

function updateChrome(routeName) {
  const signedIn = !!state.user;
  const nav = document.getElementById('site-nav');
  const menuButton = document.getElementById('menu-button');
  nav.hidden = !signedIn;
  menuButton.hidden = !signedIn;
  if (!signedIn) document.body.classList.remove('menu-open');
  document.getElementById('brand').setAttribute('href', signedIn ? '#/today' : '#/signin');
  const partner = isPartner();
  const shares = partner && state.partnerView ? state.partnerView.shares || [] : [];
  const name = partner && state.partnerView && state.partnerView.displayName;
  for (const a of nav.querySelectorAll('a[data-route]')) {
    if (a.dataset.route === routeName) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
    const info = ROUTE_BY_NAME.get(a.dataset.route);
    a.parentElement.hidden = partner &&
      (!info.partner || (info.share !== undefined && !shares.includes(info.share)));
    const label = partner && info.partnerLabel ? info.partnerLabel(name || 'Your partner')
      : info.label;
    if (a.textContent !== label) a.textContent = label;
  }
}

// Asks the server what the patient shares with this partner (always allowed for a partner:
// never a refusal in her "Who viewed my record"). On a failure nothing is assumed shared: the
// menu offers no shared screen, and a screen asks again itself (and says what went wrong).
async function refreshPartnerView() {
  state.partnerView = null;
  if (!isPartner()) return;
  try {
    state.partnerView = await api('GET', '/v1/clients/me/partnerView');
  } catch {
    state.partnerView = null;
  }
}

function closeMenu() {
  document.body.classList.remove('menu-open');
  document.getElementById('menu-button').setAttribute('aria-expanded', 'false');
}

function toggleMenu() {
  const open = !document.body.classList.contains('menu-open');
  document.body.classList.toggle('menu-open', open);
  document.getElementById('menu-button').setAttribute('aria-expanded', String(open));
  if (open) {
    const first = document.querySelector('#nav-list a');
    if (first) first.focus();
  }
}

// ---- router ---------------------------------------------------------------------------------

function parseHash() {
  const hash = location.hash || '';
  if (!hash.startsWith('#/')) return null;
  const parts = hash.slice(2).split('/').filter((p) => p.length > 0).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { name: parts[0] || '', params: parts.slice(1) };
}

function navigate(hash) {
  const target = hash.startsWith('#') ? hash : `#${hash}`;
  if (location.hash === target) route();
  else location.hash = target;
}

// Sends the router elsewhere without adding a history entry, so Back does not land on a route
// that only bounces forward again (e.g. a signed-out visit to #/journal → #/signin).
function redirect(hash) {
  const target = hash.startsWith('#') ? hash : `#${hash}`;
  history.replaceState(null, '', target);
  route();
}

function setHeadingIn(container, text) {
  let h1 = container.querySelector('h1');
  if (!h1) {
    h1 = h('h1', { tabindex: '-1' });
    container.insertBefore(h1, container.firstChild);
  }
  h1.textContent = text;
  return h1;
}

function focusHeading(container) {
  const h1 = container.querySelector('h1') || document.getElementById('main').querySelector('h1');
  if (h1) {
    if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
    h1.focus({ preventScroll: false });
  } else {
    document.getElementById('main').focus();
  }
}

async function route() {
  if (state.exiting) return;
  const parsed = parseHash();
  if (!parsed || !ROUTE_BY_NAME.has(parsed.name)) {
    // '#main' from the skip link is not a route; anything else unknown goes home.
    if (location.hash === '#main') return;
    if (parsed && parsed.name) {
      renderNotFound();
      return;
    }
    redirect(state.user ? '#/today' : '#/signin');
    return;
  }
  const routeInfo = ROUTE_BY_NAME.get(parsed.name);
  if (!routeInfo.open && !state.user) {
    state.afterSignIn = location.hash;
    redirect('#/signin');
    return;
  }
  if (isPartner() && !routeInfo.open && !routeInfo.partner) {
    renderNotForPartner(parsed.name);
    return;
  }
  if (parsed.name === 'signin' && state.user) {
    redirect('#/today');
    return;
  }

  const token = ++state.renderToken;
  if (isPartner() && !routeInfo.open) {
    await refreshPartnerView();
    if (token !== state.renderToken) return;
  }
  closeMenu();
  updateChrome(parsed.name);
  applyTabTitle();
  const main = document.getElementById('main');
  clear(main);
  const container = h('div', { class: `screen screen-${parsed.name}` });
  main.appendChild(container);
  main.setAttribute('aria-busy', 'true');
  const notice = state.notice;
  state.notice = '';
  const ctx = {
    user: state.user,
    params: parsed.params,
    navigate,
    setHeading: (text) => setHeadingIn(container, text),
    notice,
    signedIn,
    signOut: () => signOutNow('You have signed out. Take care.'),
    setTabTitle,
    setRole,
    partnerView: isPartner() ? state.partnerView : null,
    config: state.config,
  };
  try {
    const module = await import(`./screens/${parsed.name}.js`);
    if (token !== state.renderToken) return;
    await module.render(container, ctx);
  } catch (err) {
    if (token !== state.renderToken) return;
    console.error(err);
    if (!container.querySelector('h1')) setHeadingIn(container, routeInfo.label);
    container.appendChild(errorBox(
      { message: 'Sorry, this page could not be shown just now. Please try again.' },
      () => route()));
  }
  if (token !== state.renderToken) return;
  main.removeAttribute('aria-busy');
  if (!container.querySelector('h1')) setHeadingIn(container, routeInfo.label);
  focusHeading(container);
}

function renderNotFound() {
  const main = document.getElementById('main');
  state.renderToken += 1;
  closeMenu();
  updateChrome('');
  main.removeAttribute('aria-busy');
  clear(main);
  const container = h('div', { class: 'screen' },
                      h('h1', { tabindex: '-1' }, 'We could not find that page'),
                      h('p', null, h('a', { href: state.user ? '#/today' : '#/signin' },
                                     state.user ? 'Go to today' : 'Go to sign in')));
  main.appendChild(container);
  focusHeading(container);
}

// A partner account opened a patient-only address (an old bookmark, a shared link): say so
// kindly instead of showing a screen whose calls the server would refuse.
function renderNotForPartner(routeName) {
  const main = document.getElementById('main');
  state.renderToken += 1;
  closeMenu();
  updateChrome(routeName);
  applyTabTitle();
  main.removeAttribute('aria-busy');
  clear(main);
  const container = h('div', { class: 'screen' },
                      h('h1', { tabindex: '-1' }, 'This page is not part of your account'),
                      h('p', null, 'This part of Confide is only for the person you support. ' +
                                   'Your Today page shows what they share with you.'),
                      h('p', null, h('a', { href: '#/today' }, 'Go to today')));
  main.appendChild(container);
  focusHeading(container);
}

// ---- sessions -------------------------------------------------------------------------------

function isPartner() {
  return !!state.user && state.user.role === 'ROLE_PARTNER';
}

// After a reload the role is not known (nothing is kept in storage); a screen that finds out
// (today.js, when the patient-only call is refused) tells the shell here.
function setRole(role) {
  if (!state.user) return;
  const known = state.user.role === role;
  state.user.role = role;
  const parsed = parseHash();
  updateChrome(parsed ? parsed.name : '');
  if (!known && isPartner()) {
    refreshPartnerView().then(() => {
      const now = parseHash();
      if (state.user) updateChrome(now ? now.name : '');
    });
  }
}

function signedIn(user) {
  state.user = user || {};
  resetIdle();
  const next = state.afterSignIn && !/^#\/(signin|welcome)/.test(state.afterSignIn)
    ? state.afterSignIn : '#/today';
  state.afterSignIn = '#/today';
  navigate(next);
}

function toSignIn(message) {
  state.user = null;
  state.partnerView = null;
  state.notice = message || '';
  clearTimeout(state.idleTimer);
  state.idleTimer = 0;
  if (location.hash === '#/signin') route();
  else location.hash = '#/signin';
}

async function signOutNow(message) {
  clearTimeout(state.idleTimer);
  state.idleTimer = 0;
  const wasSignedIn = !!state.user;
  state.user = null;
  state.partnerView = null;
  state.afterSignIn = '#/today';
  // Nothing private stays on screen while the server is asked to end the session (which can
  // take a while on a poor connection): a screen still loading is dropped too.
  state.renderToken += 1;
  closeMenu();
  updateChrome('');
  const main = document.getElementById('main');
  main.removeAttribute('aria-busy');
  clear(main);
  main.appendChild(h('p', { class: 'loading', role: 'status' }, 'Signing out…'));
  if (wasSignedIn) {
    await apiSignOut();
    tellOtherTabs('signed-out');
  }
  toSignIn(message);
  announce(message);
}

function onSignedOutEvent() {
  if (!state.user) return;
  const parsed = parseHash();
  if (parsed && parsed.name && !ROUTE_BY_NAME.get(parsed.name)?.open) {
    state.afterSignIn = location.hash;
  }
  toSignIn('Your session has ended. Please sign in again.');
}

// ---- idle sign-out --------------------------------------------------------------------------

function idleMs() {
  const minutes = Number(state.config.idleMinutes);
  return (Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_CONFIG.idleMinutes) * 60000;
}

function scheduleIdle(delay) {
  clearTimeout(state.idleTimer);
  state.idleTimer = setTimeout(checkIdle, Math.max(delay, 250));
}

function checkIdle() {
  state.idleTimer = 0;
  if (!state.user) return;
  const quiet = Date.now() - state.lastActivity;
  if (quiet >= idleMs()) {
    signOutNow('You were signed out after a quiet spell, to keep things private. ' +
               'Sign in again whenever you are ready.');
  } else {
    scheduleIdle(idleMs() - quiet);
  }
}

function resetIdle() {
  state.lastActivity = Date.now();
  if (state.user && !state.idleTimer) scheduleIdle(idleMs());
}

// A phone waking up, or a tab brought back after a long while: timers may have been held
// back, so check at once rather than show her record until the timer catches up.
function onVisible() {
  if (document.visibilityState !== 'visible' || !state.user) return;
  clearTimeout(state.idleTimer);
  checkIdle();
}

function onActivity() {
  state.lastActivity = Date.now();
  if (state.user && !state.idleTimer) scheduleIdle(idleMs());
  if (state.user && state.lastActivity - lastActivityShared >= ACTIVITY_SHARE_MS) {
    lastActivityShared = state.lastActivity;
    tellOtherTabs('active');
  }
}

// ---- start ----------------------------------------------------------------------------------

async function loadConfig() {
  try {
    const response = await fetch('/config.json', { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) {
      const config = await response.json();
      if (config && typeof config === 'object') {
        if (Number(config.idleMinutes) > 0) state.config.idleMinutes = Number(config.idleMinutes);
        if (typeof config.quickExitUrl === 'string' && /^https:\/\//.test(config.quickExitUrl)) {
          state.config.quickExitUrl = config.quickExitUrl;
        }
      }
    }
  } catch {
    // Defaults stand.
  }
}

// A page reload keeps the HttpOnly session cookie: ask the server who is signed in
// (GET /v1/auth/me → User), so she is greeted by name and a partner sees only their screens.
// A server without that call yet answers 404: then the session is checked the plain way and
// the role stays unknown (today.js finds it out). Never probe with a patient-only call here:
// a partner's refused request shows in the patient's "Who viewed my record" as an attempt.
async function restoreSession() {
  if (!csrfToken()) return;
  try {
    const user = await api('GET', '/v1/auth/me');
    state.user = user && typeof user === 'object' ? user : {};
    return;
  } catch (err) {
    if (err.status === 401) {
      state.user = null;
      return;
    }
  }
  try {
    await api('GET', '/v1/auth/sessions');
    state.user = { clientId: 'me' };
  } catch {
    state.user = null;
  }
}

function wireShell() {
  document.getElementById('quick-exit').addEventListener('click', quickExit);
  document.getElementById('menu-button').addEventListener('click', toggleMenu);
  document.getElementById('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    const main = document.getElementById('main');
    const h1 = main.querySelector('h1');
    (h1 || main).focus();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      const now = Date.now();
      if (now - state.lastEscape <= ESCAPE_WINDOW_MS) {
        quickExit();
        return;
      }
      state.lastEscape = now;
      if (document.body.classList.contains('menu-open')) {
        closeMenu();
        document.getElementById('menu-button').focus();
      }
    }
  });
  for (const type of ['pointerdown', 'keydown', 'input', 'touchstart', 'wheel', 'scroll']) {
    document.addEventListener(type, onActivity, { passive: true, capture: true });
  }
  if (channel) channel.addEventListener('message', onOtherTab);
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('pageshow', onVisible);
  window.addEventListener('confide:signed-out', onSignedOutEvent);
  window.addEventListener('confide:tab-title', applyTabTitle);
  window.addEventListener('storage', (e) => {
    if (e.key === 'tabTitle') applyTabTitle();
  });
  window.addEventListener('hashchange', route);
}

async function start() {
  applyTabTitle();
  buildNav();
  wireShell();
  await Promise.all([loadConfig(), restoreSession()]);
  if (state.user) resetIdle();
  await route();
  preloadScreens();
}

// Fetches every screen's module once the first screen is up, so moving between screens keeps
// working (with each screen's own friendly message) should the connection drop later.
function preloadScreens() {
  for (const r of ROUTES) import(`./screens/${r.name}.js`).catch(() => {});
}

start();
