// Small pieces shared by the journal, forms, consents, sharing, access and account screens.

import { errorBox, h, uid } from '../dom.js';

// "Sam", "Sam and Alex", "Sam, Alex and Kim".
export function joinNames(names) {
  const list = names.filter(Boolean);
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

// An id a phone may safely retry with (request_id): the same id returns the first result.
export function requestId() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// An inline "are you sure?" step placed right after the button that asked for it. Focus moves
// to the question; "No" puts focus back on `returnFocusTo`. `onYes` may be async; while it
// runs both buttons are disabled. Returns the panel element.
export function confirmStep({ question, detail, yesLabel, yesClass, noLabel, onYes,
                              returnFocusTo }) {
  const questionId = uid('confirm');
  let panel = null;
  const close = () => {
    panel.remove();
    if (returnFocusTo && returnFocusTo.isConnected) returnFocusTo.focus();
  };
  const yes = h('button', { type: 'button', class: yesClass || 'button danger' }, yesLabel);
  const no = h('button', { type: 'button', class: 'button secondary', onclick: close },
               noLabel || 'No, go back');
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    try {
      await onYes();
    } finally {
      if (panel.isConnected) {
        yes.disabled = false;
        no.disabled = false;
      }
    }
  });
  panel = h('div', { class: 'confirm-step', role: 'group', 'aria-labelledby': questionId },
            h('p', { id: questionId, class: 'confirm-question', tabindex: '-1' }, question),
            detail ? h('p', { class: 'hint' }, detail) : null,
            h('div', { class: 'form-actions' }, yes, no));
  return panel;
}

// Shows `panel` after `anchor` (replacing any open confirm step in `scope`) and focuses it.
export function openConfirm(scope, anchor, panel) {
  for (const old of scope.querySelectorAll('.confirm-step')) old.remove();
  anchor.insertAdjacentElement('afterend', panel);
  panel.querySelector('.confirm-question').focus();
}

// Makes `button` ask before it acts: a click opens a confirmStep (same options, built afresh by
// `options()` for each click) right after `anchor` in `scope`, and "No" puts focus back on the
// button.
export function askBeforeActing(button, scope, anchor, options) {
  button.addEventListener('click', () => {
    openConfirm(scope, anchor, confirmStep({ returnFocusTo: button, ...options() }));
  });
}

// The "Show older …" button under a list the server hands out a page at a time, drawn into
// `slot`. `state.nextPageToken` is the token of the next page; without one there is no button,
// only `endText` when given. A click fetches the page with `fetchPage(pageToken)`, keeps its
// next token, and hands it to `addPage(page)`, which adds its items to the screen's list and
// state and returns the first new element. Focus then moves there, so keyboard and screen-reader
// users carry on reading from what was added rather than being left on a button that has gone.
// If fetching fails, the button comes back with the problem under it.
export function drawPager(slot, state, { label, endText, fetchPage, addPage }) {
  slot.replaceChildren();
  if (!state.nextPageToken) {
    if (endText) slot.appendChild(h('p', { class: 'hint' }, endText));
    return;
  }
  const button = h('button', { type: 'button', class: 'button secondary' }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    let first;
    try {
      const page = await fetchPage(state.nextPageToken);
      state.nextPageToken = page.nextPageToken || '';
      first = addPage(page);
      drawPager(slot, state, { label, endText, fetchPage, addPage });
    } catch (err) {
      button.disabled = false;
      slot.appendChild(errorBox(err));
      return;
    }
    if (first) {
      first.setAttribute('tabindex', '-1');
      first.focus();
    }
  });
  slot.appendChild(button);
}

// A small notice for a screen. Problems are role=alert; good news is shown only (screens
// announce it through the shell's live region, or move focus to it), so it is not read twice.
export function notice(text, kind) {
  const isError = kind === 'error';
  return h('div', { class: `notice ${isError ? 'notice-error' : 'notice-success'}`,
                    role: isError ? 'alert' : null },
           h('p', null, text));
}

// The server's field messages are short ("must be 1-40 characters"); prefix the field's name
// so the error summary reads on its own. `names` maps camelCase field names to words.
export function withFieldNames(err, names) {
  if (!err) return err;
  err.fieldViolations = (err.fieldViolations || []).map((v) => {
    const key = String(v.field || '').split('.').pop().replace(/\[\d+\]$/, '')
      .replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    return names[key] ? { ...v, description: `${names[key]}: ${v.description}` } : v;
  });
  return err;
}
