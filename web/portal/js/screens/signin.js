// Sign in (#/signin).
import { signIn } from '../api.js';
import { h, field, showErrors, clearErrors } from '../dom.js';

export async function render(main, ctx) {
  ctx.setHeading('Sign in');

  if (ctx.notice) {
    main.appendChild(h('div', { class: 'notice', role: 'status' }, h('p', null, ctx.notice)));
  }
  main.appendChild(h('p', { class: 'lead' },
                     'Welcome. Sign in to see what is planned for today and how far you have come.'));

  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username',
                             required: true, spellcheck: 'false', autocapitalize: 'none' });
  const password = h('input', { type: 'password', name: 'password',
                                autocomplete: 'current-password', required: true });
  const toggle = h('button', { type: 'button', class: 'link-button', 'aria-pressed': 'false',
                               'aria-controls': '' }, 'Show password');
  const submit = h('button', { type: 'submit', class: 'button' }, 'Sign in');
  const form = h('form', { novalidate: true, 'aria-label': 'Sign in' },
                 field('Email address', email),
                 field('Password', password),
                 h('p', null, toggle),
                 h('div', { class: 'form-actions' }, submit));
  toggle.setAttribute('aria-controls', password.id);
  toggle.addEventListener('click', () => {
    const show = password.type === 'password';
    password.type = show ? 'text' : 'password';
    // The name stays "Show password"; aria-pressed says whether it is on (a changing name
    // and a pressed state together would contradict each other for screen-reader users).
    toggle.setAttribute('aria-pressed', String(show));
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const violations = [];
    if (!email.value.trim()) violations.push({ field: 'email', description: 'Enter your email address.' });
    if (!password.value) violations.push({ field: 'password', description: 'Enter your password.' });
    if (violations.length) {
      showErrors(form, { message: 'Please check this.', fieldViolations: violations });
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const user = await signIn(email.value.trim(), password.value);
      password.value = '';
      ctx.signedIn(user);
    } catch (err) {
      let shown = err;
      if (err.reason === 'MFA_REQUIRED') {
        shown = { message: 'This is the portal for patients and their partners. Staff accounts ' +
                           'sign in with an authenticator code through the API.', fieldViolations: [] };
      } else if (err.status === 401 || err.code === 'UNAUTHENTICATED') {
        shown = { message: 'That email and password do not match. Please try again.',
                  fieldViolations: [] };
      } else if (err.status === 400 && !err.fieldViolations.length) {
        shown = { message: err.message, fieldViolations: [] };
      }
      showErrors(form, shown);
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });

  main.appendChild(form);
  main.appendChild(h('p', { class: 'muted small' },
                     'New here? Use the private set-up link your clinic sent you. ' +
                     'If you have forgotten your password, your clinic can help.'));
  main.appendChild(h('p', { class: 'muted small' },
                     'Need to leave quickly? Press “Quick exit” at the top of any page, or the ' +
                     'Escape key twice: you go straight to an everyday website and are signed out.'));
}
