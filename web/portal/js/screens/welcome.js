// First-time set-up from an invitation (#/welcome/<invitationToken>): AcceptInvitation, then
// sign in. The token stays in the fragment (never sent in a URL); once read it is taken out of
// the address bar and kept only in memory.
import { api, signIn } from '../api.js';
import { h, field, showErrors, clearErrors } from '../dom.js';

let rememberedToken = '';

export async function render(main, ctx) {
  ctx.setHeading('Set up your account');
  if (ctx.params[0]) {
    rememberedToken = ctx.params[0];
    history.replaceState(null, '', '#/welcome');
  }
  const token = rememberedToken;

  if (!token) {
    main.appendChild(h('div', { class: 'notice', role: 'status' },
                       h('p', null, 'This set-up link looks incomplete. Please open the full link ' +
                                    'from your invitation, or ask your clinic for a new one.')));
    main.appendChild(h('p', null, h('a', { href: '#/signin' }, 'I already have an account')));
    return;
  }

  main.appendChild(h('p', { class: 'lead' },
                     'Welcome. Choose a password to finish setting up your account. ' +
                     'It only takes a minute.'));

  const name = h('input', { type: 'text', name: 'displayName', autocomplete: 'nickname',
                            maxlength: '200' });
  const password = h('input', { type: 'password', name: 'password',
                                autocomplete: 'new-password', required: true, minlength: '12' });
  const confirm = h('input', { type: 'password', name: 'confirmPassword',
                               autocomplete: 'new-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button' }, 'Create my account');
  const form = h('form', { novalidate: true, 'aria-label': 'Set up your account' },
                 field('What would you like us to call you? (optional)', name,
                       'Leave it empty to keep the name your clinic entered.'),
                 field('Choose a password', password,
                       'At least 12 characters. A few unrelated words work well.'),
                 field('Type the password again', confirm),
                 h('div', { class: 'form-actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const violations = [];
    if (password.value.length < 12) {
      violations.push({ field: 'password', description: 'Choose a password of at least 12 characters.' });
    }
    if (confirm.value !== password.value) {
      violations.push({ field: 'confirmPassword', description: 'The two passwords are not the same.' });
    }
    if (violations.length) {
      showErrors(form, { message: 'Please check this.', fieldViolations: violations });
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Setting up…';
    let user;
    try {
      const body = { token, password: password.value };
      if (name.value.trim()) body.displayName = name.value.trim();
      user = await api('POST', '/v1/auth/invitations:accept', body);
    } catch (err) {
      let shown = err;
      if (['NOT_FOUND', 'FAILED_PRECONDITION', 'UNAUTHENTICATED', 'PERMISSION_DENIED']
        .includes(err.code) ||
          (err.fieldViolations.length && err.fieldViolations.every((v) => v.field === 'token'))) {
        shown = { message: 'This set-up link has already been used or has expired. ' +
                           'Please ask your clinic for a new one.', fieldViolations: [] };
      }
      showErrors(form, shown);
      submit.disabled = false;
      submit.textContent = 'Create my account';
      return;
    }
    rememberedToken = '';
    try {
      const signedIn = await signIn(user.email, password.value);
      password.value = '';
      confirm.value = '';
      ctx.signedIn(signedIn);
    } catch {
      ctx.navigate('#/signin');
    }
  });

  main.appendChild(form);
}
