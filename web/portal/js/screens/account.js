// Account (#/account): the tab name, password, where she is signed in (end any session, or sign
// out everywhere), and sign out.

import { api } from '../api.js';
import {
  announce, clearErrors, errorBox, field, formatDateTime, friendlyMessage, h, loading, showErrors,
} from '../dom.js';
import { askBeforeActing, notice } from './parts.js';

const TAB_SUGGESTIONS = ['Notes', 'Weather', 'Recipes'];

function savedTabTitle() {
  try {
    return localStorage.getItem('tabTitle') || '';
  } catch {
    return '';
  }
}

export async function render(main, ctx) {
  ctx.setHeading('Account');

  const status = h('div', { class: 'screen-status' });

  // ---- tab name ----
  const tabInput = h('input', { type: 'text', name: 'tabTitle', maxlength: '60',
                                autocomplete: 'off', value: savedTabTitle() });
  const tabStatus = h('div');
  function applyTab(text) {
    const wanted = (text || '').trim();
    ctx.setTabTitle(wanted);
    tabInput.value = wanted;
    const message = wanted ? `This tab is now called “${wanted}”.`
                           : 'This tab is called “Confide” again.';
    tabStatus.replaceChildren(notice(message));
    announce(message);
  }
  const tabForm = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'tab-title' },
                    h('h2', { id: 'tab-title' }, 'Name on the browser tab'),
                    h('p', null, 'Choose a plain name for this tab, so a glance at your screen ' +
                                 'or browser history gives nothing away. It is saved on this ' +
                                 'device only.'),
                    tabStatus,
                    field('Tab name', tabInput,
                          'Leave it empty to use “Confide”.'),
                    h('div', { class: 'form-actions' },
                      h('button', { type: 'submit', class: 'button' }, 'Save tab name')),
                    h('div', { class: 'tab-suggestions', role: 'group',
                               'aria-labelledby': 'tab-suggestions-title' },
                      h('p', { id: 'tab-suggestions-title', class: 'hint' }, 'Or choose one:'),
                      ...[...TAB_SUGGESTIONS, 'Confide'].map((name) =>
                        h('button', { type: 'button', class: 'button secondary small-button',
                                      'aria-label': `Use ${name}`,
                                      onclick: () => applyTab(name === 'Confide' ? '' : name) },
                          name))));
  tabForm.addEventListener('submit', (event) => {
    event.preventDefault();
    applyTab(tabInput.value);
  });

  // ---- password ----
  const current = h('input', { type: 'password', name: 'currentPassword',
                               autocomplete: 'current-password', required: true });
  const fresh = h('input', { type: 'password', name: 'newPassword',
                             autocomplete: 'new-password', required: true, minlength: '12',
                             maxlength: '256' });
  const again = h('input', { type: 'password', name: 'confirmPassword',
                             autocomplete: 'new-password', required: true });
  const passwordStatus = h('div');
  const passwordForm = h('form', { class: 'card', novalidate: true,
                                   'aria-labelledby': 'password-title' },
                         h('h2', { id: 'password-title' }, 'Change your password'),
                         passwordStatus,
                         field('Current password', current),
                         field('New password', fresh,
                               'At least 12 characters. A few unrelated words work well.'),
                         field('New password again', again),
                         h('p', { class: 'hint' }, 'Changing it signs you out everywhere ' +
                                                   'else; you stay signed in here.'),
                         h('div', { class: 'form-actions' },
                           h('button', { type: 'submit', class: 'button' }, 'Change password')));
  passwordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(passwordForm);
    passwordStatus.replaceChildren();
    const problems = [];
    if (!current.value) {
      problems.push({ field: 'currentPassword', description: 'Enter your current password.' });
    }
    if (fresh.value.length < 12) {
      problems.push({ field: 'newPassword',
                      description: 'Your new password needs at least 12 characters.' });
    }
    if (fresh.value !== again.value) {
      problems.push({ field: 'confirmPassword',
                      description: 'The two new passwords are not the same.' });
    }
    if (problems.length) {
      showErrors(passwordForm, { message: 'Please check this:', fieldViolations: problems });
      return;
    }
    const submit = passwordForm.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      await api('POST', '/v1/auth/password:change',
                { currentPassword: current.value, newPassword: fresh.value });
      current.value = '';
      fresh.value = '';
      again.value = '';
      const message = 'Your password is changed. Any other devices have been signed out.';
      const box = notice(message);
      box.setAttribute('tabindex', '-1');
      passwordStatus.replaceChildren(box);
      box.focus();
      await loadSessions();
    } catch (err) {
      // The server's words are terse ("is incorrect"); say it in full next to the field.
      err.fieldViolations = (err.fieldViolations || []).map((v) => {
        if (/current_?password/i.test(v.field)) {
          return { ...v, description: 'That is not your current password.' };
        }
        if (/new_?password/i.test(v.field)) {
          return { ...v, description: `Your new password ${v.description}.` };
        }
        return v;
      });
      showErrors(passwordForm, err);
    } finally {
      submit.disabled = false;
    }
  });

  // ---- sessions ----
  const sessionList = h('div', { class: 'session-list' });
  const everywhere = h('button', { type: 'button', class: 'button secondary' },
                       'Sign out everywhere');
  const sessionsActions = h('div', { class: 'card-actions' }, everywhere);
  const sessionsSection = h('section', { class: 'card', 'aria-labelledby': 'sessions-title' },
                            h('h2', { id: 'sessions-title' }, 'Where you are signed in'),
                            sessionList, sessionsActions);
  let sessions = [];

  function sessionItem(s) {
    const when = formatDateTime(s.createTime);
    const item = h('li', { class: `session${s.current ? ' is-current' : ''}` },
                   h('p', { class: 'session-when' },
                     s.current ? h('span', { class: 'tag done' }, 'This device') : null,
                     ` Signed in ${when}`),
                   h('p', { class: 'hint' },
                     `Last active ${formatDateTime(s.lastSeenTime)}` +
                     (s.sourceAddress ? ` · from ${s.sourceAddress}` : '')));
    if (!s.current) {
      const end = h('button', { type: 'button', class: 'button secondary',
                                'aria-label': `End session signed in ${when}` }, 'End session');
      end.addEventListener('click', async () => {
        end.disabled = true;
        try {
          await api('POST', `/v1/auth/sessions/${encodeURIComponent(s.id)}:revoke`, {});
          await loadSessions();
          announce('That session is ended.');
          const heading = sessionsSection.querySelector('h2');
          heading.setAttribute('tabindex', '-1');
          heading.focus();
        } catch (err) {
          end.disabled = false;
          item.appendChild(notice(friendlyMessage(err), 'error'));
        }
      });
      item.appendChild(end);
    }
    return item;
  }

  async function loadSessions() {
    const answer = await api('GET', '/v1/auth/sessions');
    sessions = answer.sessions || [];
    const others = sessions.filter((s) => !s.current).length;
    sessionList.replaceChildren(
      h('p', null, others
        ? `You are signed in on ${others + 1} devices or browsers, including this one.`
        : 'You are signed in only here.'),
      h('ul', { class: 'card-list sessions' }, sessions.map(sessionItem)));
  }

  askBeforeActing(everywhere, sessionsSection, sessionsActions, () => ({
    question: 'Sign out everywhere, including here?',
    detail: 'Every device and browser signed in to your account will be signed out.',
    yesLabel: 'Yes, sign out everywhere',
    noLabel: 'No, stay signed in',
    onYes: async () => {
      try {
        const answer = await api('GET', '/v1/auth/sessions');
        for (const s of answer.sessions || []) {
          if (!s.current) {
            await api('POST', `/v1/auth/sessions/${encodeURIComponent(s.id)}:revoke`, {});
          }
        }
      } catch (err) {
        sessionsSection.appendChild(notice(friendlyMessage(err), 'error'));
        return;
      }
      await ctx.signOut();
    },
  }));

  // ---- sign out ----
  const signOut = h('button', { type: 'button', class: 'button' }, 'Sign out');
  signOut.addEventListener('click', () => ctx.signOut());

  main.append(
    status,
    tabForm,
    passwordForm,
    sessionsSection,
    h('section', { class: 'card', 'aria-labelledby': 'signout-title' },
      h('h2', { id: 'signout-title' }, 'Sign out'),
      h('p', null, 'When you are finished, signing out keeps things private on a shared device.'),
      signOut));

  sessionList.replaceChildren(loading('Loading…'));
  try {
    await loadSessions();
  } catch (err) {
    sessionList.replaceChildren(errorBox(err, () => loadSessions().catch(() => {})));
  }
}
