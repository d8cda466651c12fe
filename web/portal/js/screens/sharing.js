// Partner sharing (#/sharing): what each partner can see, changed share by share, ending a
// partner's access, and inviting a partner. Clinicians' notes are never shareable.

import { api } from '../api.js';
import {
  announce, clearErrors, errorBox, field, formatDate, friendlyMessage, h, loading, showErrors, uid,
} from '../dom.js';
import { askBeforeActing, notice, withFieldNames } from './parts.js';

const SHARES = [
  {
    share: 'PARTNER_SHARE_PLAN_SUMMARY',
    title: 'My plan',
    text: 'The plan your care team has shared with you, in the same everyday words you see.',
  },
  {
    share: 'PARTNER_SHARE_GOALS',
    title: 'My goals',
    text: 'The goals in your plan, and milestones linked to them. Shown together with your plan.',
  },
  {
    share: 'PARTNER_SHARE_PROGRAMME_SCHEDULE',
    title: 'My practice programme',
    text: 'The exercises in your programme and what is planned for each day. Not what you ' +
          'wrote in your practice log.',
  },
  {
    share: 'PARTNER_SHARE_PROGRESS_SUMMARY',
    title: 'My progress',
    text: 'Your progress charts and the milestones you celebrate: how regularly you practise ' +
          'and how things are changing. Not your individual log entries.',
  },
  {
    share: 'PARTNER_SHARE_ASSESSMENTS',
    title: 'Questionnaire scores',
    text: 'Your questionnaire scores and how they change. Never your answers.',
  },
  {
    share: 'PARTNER_SHARE_JOURNAL',
    title: 'Journal entries I choose',
    text: 'Only the journal entries you mark for your partner, one by one, in your journal. ' +
          'Everything else in your journal stays private.',
  },
];

export async function render(main, ctx) {
  ctx.setHeading('Partner sharing');

  const state = { partners: [], consentInForce: false };
  const status = h('div', { class: 'screen-status' });
  const current = h('div', { class: 'partner-list' });
  const earlier = h('div', { class: 'partner-earlier' });
  const inviteSlot = h('div', { class: 'partner-invite' });

  function shareToggles(link, onChange) {
    const rows = SHARES.map((info) => {
      const id = uid('share');
      const input = h('input', { type: 'checkbox', id, name: 'shares', value: info.share,
                                 checked: !!(link && (link.shares || []).includes(info.share)),
                                 'aria-describedby': `${id}-hint` });
      if (onChange) input.addEventListener('change', () => onChange(input, info));
      return h('div', { class: 'share-row' },
               h('div', { class: 'choice' }, input, h('label', { for: id }, info.title)),
               h('p', { class: 'hint', id: `${id}-hint` }, info.text));
    });
    return rows;
  }

  function partnerCard(link) {
    const titleId = uid('partner');
    const article = h('article', { class: 'card partner', 'aria-labelledby': titleId });
    const errorSlot = h('div');
    const name = link.partnerDisplayName || 'Your partner';

    async function onToggle(input, info) {
      const fieldset = article.querySelector('fieldset');
      const shares = [...fieldset.querySelectorAll('input[name="shares"]:checked')]
        .map((i) => i.value);
      for (const i of fieldset.querySelectorAll('input')) i.disabled = true;
      errorSlot.replaceChildren();
      try {
        const updated = await api('POST',
                                  `/v1/clients/me/partners/${encodeURIComponent(link.id)}:updateShares`,
                                  { shares });
        Object.assign(link, updated);
        announce(input.checked ? `${name} can now see: ${info.title}.`
                               : `${name} can no longer see: ${info.title}.`);
      } catch (err) {
        input.checked = !input.checked;
        let message = friendlyMessage(err);
        if (err.code === 'FAILED_PRECONDITION' && /consent/i.test(err.message)) {
          message = 'To share more with a partner, first give your consent to involving a ' +
                    'partner on the Consents page.';
        }
        errorSlot.replaceChildren(notice(message, 'error'),
                                  h('p', null, h('a', { href: '#/consents' }, 'Go to consents')));
      } finally {
        for (const i of fieldset.querySelectorAll('input')) i.disabled = false;
        input.focus();
      }
    }

    const revoke = h('button', { type: 'button', class: 'button secondary' },
                     `Stop sharing with ${name}`);
    const actions = h('div', { class: 'card-actions' }, revoke);
    askBeforeActing(revoke, article, actions, () => ({
      question: `Stop sharing with ${name}?`,
      detail: `${name} will be signed out straight away and will not be able to see anything ` +
              'any more. To share again later, you would send a new invitation.',
      yesLabel: 'Yes, stop sharing',
      noLabel: 'No, keep sharing',
      onYes: async () => {
        try {
          await api('POST', `/v1/clients/me/partners/${encodeURIComponent(link.id)}:revoke`, {});
          await reload(`${name} can no longer see anything.`);
        } catch (err) {
          errorSlot.replaceChildren(notice(friendlyMessage(err), 'error'));
        }
      },
    }));

    article.append(
      h('h3', { id: titleId }, name),
      h('p', { class: 'hint' }, `Sharing since ${formatDate(link.createTime)}.`),
      h('fieldset', null,
        h('legend', null, `What ${name} can see`),
        h('p', { class: 'hint' }, 'Changes take effect straight away.'),
        shareToggles(link, onToggle)),
      errorSlot,
      actions);
    return article;
  }

  function draw() {
    const live = state.partners.filter((p) => !p.revokeTime);
    const ended = state.partners.filter((p) => p.revokeTime);
    current.replaceChildren();
    if (!live.length) {
      current.appendChild(h('p', { class: 'empty' },
                            'You are not sharing anything with a partner. That is completely up ' +
                            'to you.'));
    }
    for (const link of live) current.appendChild(partnerCard(link));
    earlier.replaceChildren();
    if (ended.length) {
      earlier.append(
        h('h2', null, 'Sharing you have ended'),
        h('ul', null, ended.map((p) => h('li', null,
                                         `${p.partnerDisplayName || 'A partner'}: ended ` +
                                         `${formatDate(p.revokeTime)}.`))));
    }
    drawInvite();
  }

  function drawInvite() {
    inviteSlot.replaceChildren(h('h2', { id: 'invite-title' }, 'Invite a partner'));
    if (!state.consentInForce) {
      inviteSlot.append(
        h('p', null, 'To invite a partner, first give your consent to involving a partner. ' +
                     'You can withdraw it at any time, and that ends their access at once.'),
        h('p', null, h('a', { href: '#/consents' }, 'Go to consents')));
      return;
    }
    const open = h('button', { type: 'button', class: 'button secondary',
                               'aria-expanded': 'false' }, 'Invite a partner');
    open.addEventListener('click', () => {
      open.hidden = true;
      open.setAttribute('aria-expanded', 'true');
      const email = h('input', { type: 'email', name: 'email', autocomplete: 'off',
                                 required: true });
      const displayName = h('input', { type: 'text', name: 'displayName', autocomplete: 'off',
                                       required: true, maxlength: '200' });
      const cancel = h('button', { type: 'button', class: 'button secondary' }, 'Cancel');
      const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'invite-title' },
                     h('p', null, 'We will email them a link to set up their own sign-in. ' +
                                  'The link works for 3 days.'),
                     field('Their email address', email),
                     field('Their name', displayName,
                           'How they will appear to you here, e.g. their first name.'),
                     h('fieldset', null,
                       h('legend', null, 'What they can see'),
                       h('p', { class: 'hint' }, 'Choose as much or as little as you like. ' +
                                                 'You can change this at any time.'),
                       shareToggles(null, null)),
                     h('div', { class: 'form-actions' },
                       h('button', { type: 'submit', class: 'button' }, 'Send invitation'),
                       cancel));
      cancel.addEventListener('click', drawInviteAndFocus);
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        clearErrors(form);
        const submit = form.querySelector('button[type="submit"]');
        submit.disabled = true;
        const shares = [...form.querySelectorAll('input[name="shares"]:checked')]
          .map((i) => i.value);
        try {
          const invitation = await api('POST', '/v1/clients/me/partners:invite', {
            email: email.value.trim(), displayName: displayName.value.trim(), shares,
          });
          drawInvite();
          const message = `Invitation sent to ${invitation.sentTo || email.value.trim()}. ` +
                          'Once they set up their sign-in, they will appear above.';
          status.replaceChildren(notice(message));
          announce(message);
          inviteSlot.querySelector('button').focus();
        } catch (err) {
          submit.disabled = false;
          let shown = withFieldNames(err, { email: 'Email address', displayName: 'Name',
                                            shares: 'What they can see' });
          if (err.code === 'FAILED_PRECONDITION' && /consent/i.test(err.message)) {
            shown = { message: 'To invite a partner, first give your consent to involving a ' +
                               'partner on the Consents page.', fieldViolations: [] };
          }
          showErrors(form, shown);
        }
      });
      inviteSlot.appendChild(form);
      email.focus();
    });
    inviteSlot.appendChild(open);
  }

  function drawInviteAndFocus() {
    drawInvite();
    const button = inviteSlot.querySelector('button');
    if (button) button.focus();
  }

  async function fetchAll() {
    const [partners, consents] = await Promise.all([
      api('GET', '/v1/clients/me/partners'),
      api('GET', '/v1/clients/me/consents?inForceOnly=true').catch(() => ({})),
    ]);
    state.partners = partners.partners || [];
    state.consentInForce = (consents.consents || []).some(
      (c) => c.kind === 'CONSENT_KIND_PARTNER_INVOLVEMENT' && c.state === 'CONSENT_STATE_GIVEN');
  }

  async function reload(message) {
    await fetchAll();
    draw();
    status.replaceChildren(notice(message));
    announce(message);
    const heading = main.querySelector('h1');
    if (heading) heading.focus();
  }

  main.append(
    h('p', { class: 'lead' },
      'You decide what a partner can see, one thing at a time, and you can change your mind ' +
      'whenever you like. Your clinicians\u2019 notes are never shared.'),
    status,
    h('section', { 'aria-labelledby': 'partners-title' },
      h('h2', { id: 'partners-title' }, 'Who you share with'), current),
    earlier,
    h('section', { 'aria-labelledby': 'invite-title' }, inviteSlot));

  async function load() {
    current.replaceChildren(loading('Loading…'));
    try {
      await fetchAll();
      draw();
    } catch (err) {
      current.replaceChildren(errorBox(err, load));
    }
  }
  await load();
}
