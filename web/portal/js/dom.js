// Small DOM helpers. Everything from the server goes in as text nodes or attribute values,
// never as HTML.

let idCounter = 0;

// A unique id for label/aria wiring: uid('pain') → "pain-7".
export function uid(prefix) {
  idCounter += 1;
  return `${prefix || 'id'}-${idCounter}`;
}

const PROPERTY_ATTRS = new Set(['value', 'checked', 'selected', 'disabled', 'indeterminate']);

function append(el, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) {
    for (const c of child) append(el, c);
  } else if (child instanceof Node) {
    el.appendChild(child);
  } else {
    el.appendChild(document.createTextNode(String(child)));
  }
}

// h('button', {class: 'primary', onclick: fn, 'aria-label': 'Close'}, 'Close')
// Attributes: on<event> functions become listeners; `hidden`, `disabled`, `checked`, `required`
// and other booleans are set when truthy and left out when falsy; `value`/`checked`/`selected`
// are set as properties; null/undefined/false are skipped. Children may be strings, numbers,
// nodes, arrays or null.
export function h(tag, attrs, ...children) {
  const svg = tag.startsWith('svg:');
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
                 : document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'style') {
        throw new Error('inline styles are not allowed (CSP); use a class');
      } else if (!svg && PROPERTY_ATTRS.has(key)) {
        el[key] = value;
        if (key !== 'value') el.setAttribute(key, '');
      } else if (value === true) {
        el.setAttribute(key, '');
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

// h() for SVG elements: s('rect', {x: 0, y: 0, width: 10, height: 10, class: 'bar'}).
export function s(tag, attrs, ...children) {
  return h(`svg:${tag}`, attrs, ...children);
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function toDate(value) {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

// "26 November 2026" (also accepts "2026-11-26" dates, read as that calendar day).
export function formatDate(isoString) {
  if (typeof isoString === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(isoString)) {
    const [y, m, d] = isoString.split('-').map(Number);
    return new Date(y, m - 1, d).toLocaleDateString('en-GB',
                                                    { day: 'numeric', month: 'long', year: 'numeric' });
  }
  const d = toDate(isoString);
  if (!d) return '';
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
}

// "26 November 2026, 14:05".
export function formatDateTime(isoString) {
  const d = toDate(isoString);
  if (!d) return '';
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })}, ${
    d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
}

// A labelled form row: label + input + optional hint + error slot, wired with aria-describedby.
// The input gets an id if it has none; its `name` attribute is what showErrors() matches
// against field violations (e.g. name="painScore" matches field "pain_score" or "painScore").
export function field(labelText, inputElement, hintText) {
  if (!inputElement.id) inputElement.id = uid(inputElement.name || 'field');
  const id = inputElement.id;
  const describedBy = [];
  const row = h('div', { class: 'field' });
  row.appendChild(h('label', { for: id }, labelText));
  if (hintText) {
    const hint = h('p', { class: 'hint', id: `${id}-hint` }, hintText);
    row.appendChild(hint);
    describedBy.push(hint.id);
  }
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  row.appendChild(error);
  describedBy.push(error.id);
  const existing = inputElement.getAttribute('aria-describedby');
  inputElement.setAttribute('aria-describedby',
                            [existing, ...describedBy].filter(Boolean).join(' '));
  row.appendChild(inputElement);
  return row;
}

function camel(name) {
  return name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

// Last path segment of a field path, camelCased: "entry.share_with_care_team" → "shareWithCareTeam".
function fieldKey(path) {
  const parts = String(path || '').split('.');
  return camel(parts[parts.length - 1].replace(/\[\d+\]$/, ''));
}

function labelOf(form, input) {
  const label = form.querySelector(`label[for="${CSS.escape(input.id)}"]`);
  const fieldset = input.closest('fieldset');
  const legend = fieldset && input.type === 'radio' ? fieldset.querySelector('legend') : null;
  const text = ((legend || label) ? (legend || label).textContent : '').trim();
  return text.replace(/\s*\(optional\)$/, '').replace(/[?:]$/, '');
}

// Clears earlier errors shown by showErrors().
export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) {
    el.textContent = '';
    el.hidden = true;
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const summary = form.querySelector('.error-summary');
  if (summary) summary.remove();
}

// Shows an ApiError (or any Error) on a form: each field violation next to its field, and a
// summary at the top of the form that takes focus.
export function showErrors(form, apiError) {
  clearErrors(form);
  const violations = (apiError && apiError.fieldViolations) || [];
  const items = [];
  for (const v of violations) {
    const key = fieldKey(v.field);
    const input = [...form.querySelectorAll('[name]')].find(
      (el) => fieldKey(el.getAttribute('name')) === key);
    // Server descriptions are fragments ("must not be empty"): capitalise them next to the
    // field, and name the field in the summary.
    const fragment = /^[a-z]/.test(v.description);
    const sentence = fragment ? v.description[0].toUpperCase() + v.description.slice(1)
                              : v.description;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      const slot = form.querySelector(`#${CSS.escape(input.id)}-error`);
      if (slot) {
        slot.textContent = sentence;
        slot.hidden = false;
      }
      const label = labelOf(form, input);
      items.push(h('li', null, h('a', {
        href: `#${input.id}`,
        onclick: (e) => { e.preventDefault(); input.focus(); },
      }, fragment && label ? `${label}: ${v.description}` : sentence)));
    } else {
      items.push(h('li', null, sentence));
    }
  }
  const message = friendlyMessage(apiError);
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
                    h('p', { class: 'error-title' }, items.length ? 'Please check this:' : message),
                    items.length ? h('ul', null, items) : null);
  form.insertBefore(summary, form.firstChild);
  summary.focus();
  return summary;
}

// Says something to screen-reader users without moving focus.
export function announce(text) {
  let region = document.getElementById('announcer');
  if (!region) {
    region = h('div', { id: 'announcer', class: 'visually-hidden', 'aria-live': 'polite',
                        role: 'status' });
    document.body.appendChild(region);
  }
  region.textContent = '';
  // A fresh text node after a tick so repeated messages are read again.
  setTimeout(() => { region.textContent = text; }, 50);
}

// Friendly loading and error states for screens.
export function loading(text) {
  return h('p', { class: 'loading', role: 'status' }, text || 'Loading…');
}

const FRIENDLY = {
  NOT_FOUND: 'We could not find what you were looking for. It may have been moved or ended.',
  PERMISSION_DENIED: 'This part is not available to your account.',
  FAILED_PRECONDITION: 'This cannot be done just now.',
  ABORTED: 'This was changed somewhere else in the meantime. Please reload the page and try again.',
  UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  INVALID_ARGUMENT: 'Something in what was sent did not look right. Please check it and try again.',
};

// An error's message in plain words: the portal's own messages (full sentences) as they are,
// the server's terse fragments ("programme not found") replaced by a kind sentence.
export function friendlyMessage(err) {
  const message = (err && err.message) || '';
  if (!message) return 'Something went wrong. Please try again.';
  if (/^[a-z]/.test(message)) return FRIENDLY[err.code] || 'Something went wrong. Please try again.';
  return message;
}

export function errorBox(err, retry) {
  const message = friendlyMessage(err);
  return h('div', { class: 'notice notice-error', role: 'alert' },
           h('p', null, message),
           retry ? h('button', { type: 'button', class: 'button secondary', onclick: retry },
                     'Try again') : null);
}
