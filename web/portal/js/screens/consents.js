// Consents (#/consents): what she has agreed to, and giving or withdrawing each kind herself.
// Every grant and withdrawal is kept by the server; this screen shows the history too.

import { api } from '../api.js';
import { announce, errorBox, formatDate, friendlyMessage, h, loading, uid } from '../dom.js';
import { askBeforeActing, notice, requestId } from './parts.js';

// The version of the consent wording this portal shows. The API has no endpoint for consent
// texts yet, so the wording below is the portal's and is recorded as this version.
const TEXT_VERSION = '2026-01';

const KINDS = [
  {
    kind: 'CONSENT_KIND_TREATMENT',
    title: 'Assessment and treatment',
    text: 'You agree to the clinic assessing you and offering treatment. Your care team will ' +
          'always explain what they suggest, and you can ask questions or say no to any part of it.',
    withdraw: 'Your care team will get in touch to talk about what this means for your care.',
  },
  {
    kind: 'CONSENT_KIND_INTERNAL_EXAMINATION',
    title: 'Internal examination or treatment',
    text: 'You agree that a clinician may do an internal examination or treatment when you and ' +
          'they agree it would help. This is separate from everything else, and you can stop ' +
          'or withdraw it at any moment, including during a session.',
    withdraw: 'No internal examination or treatment will be done. Everything else carries on.',
  },
  {
    kind: 'CONSENT_KIND_TELEHEALTH',
    title: 'Sessions by video or phone',
    text: 'You agree to have some sessions by video call or phone.',
    withdraw: 'Your sessions will be in person.',
  },
  {
    kind: 'CONSENT_KIND_PARTNER_INVOLVEMENT',
    title: 'Involving a partner',
    text: 'You agree to involve a partner in your care. You still choose exactly what they can ' +
          'see, on the Partner sharing page. This is needed before you can invite a partner.',
    withdraw: 'Every partner loses access, and any invitations you have sent stop working. ' +
              'You can invite them again later if you change your mind.',
  },
  {
    kind: 'CONSENT_KIND_RESEARCH_DATA_SHARING',
    title: 'Research',
    text: 'You agree that information about your care, with your name and anything that could ' +
          'identify you removed, may be used for research to improve care for others.',
    withdraw: 'Your information will not be used for new research from now on.',
  },
  {
    kind: 'CONSENT_KIND_PORTAL_MESSAGES',
    title: 'Messages and reminders',
    text: 'You agree to get messages and reminders through this portal and by email.',
    withdraw: 'You will not get messages or reminders through the portal or by email.',
  },
];

export async function render(main, ctx) {
  ctx.setHeading('Consents');

  const state = { consents: [], team: new Map() };
  const status = h('div', { class: 'screen-status' });
  const list = h('div', { class: 'consent-list' });

  function whoRecorded(userId, role) {
    if (role === 'ROLE_PATIENT') return 'you';
    const name = state.team.get(userId);
    if (name) return name;
    return role === 'ROLE_CLINICIAN' ? 'a clinician' : 'the clinic';
  }

  function historyLine(c) {
    const given = `Given ${formatDate(c.giveTime)} (recorded by ` +
                  `${whoRecorded(c.recordedByUserId, c.recordedByRole)}, wording ${c.textVersion}).`;
    if (c.state === 'CONSENT_STATE_WITHDRAWN') {
      return `${given} Withdrawn ${formatDate(c.endTime)} by ` +
             `${whoRecorded(c.withdrawnByUserId, c.withdrawnByRole)}.`;
    }
    if (c.state === 'CONSENT_STATE_SUPERSEDED') {
      return `${given} Replaced by a newer one on ${formatDate(c.endTime)}.`;
    }
    return `${given} In place now.`;
  }

  function card(info) {
    const grants = state.consents.filter((c) => c.kind === info.kind);
    const current = grants.find((c) => c.state === 'CONSENT_STATE_GIVEN');
    const titleId = uid('consent');
    const article = h('article', { class: `card consent ${current ? 'is-given' : 'is-not-given'}`,
                                   'aria-labelledby': titleId });
    const errorSlot = h('div');
    const stateLine = current
      ? h('p', { class: 'consent-state' },
          h('span', { class: 'tag done' }, 'Given'),
          ` You agreed to this on ${formatDate(current.giveTime)}` +
          (current.recordedByRole === 'ROLE_PATIENT' ? '.'
            : ` (recorded by ${whoRecorded(current.recordedByUserId, current.recordedByRole)}).`))
      : h('p', { class: 'consent-state' },
          h('span', { class: 'tag' }, 'Not given'),
          grants.length && grants[0].endTime
            ? ` Withdrawn on ${formatDate(grants[0].endTime)}. You can give it again at any time.`
            : ' You have not given this. That is completely fine.');

    // Withdrawing and giving both reload the cards and say what changed; a failure is shown on
    // this card.
    const tryTo = (send, message) => async () => {
      try {
        await send();
        await reload(message, info.kind);
      } catch (err) {
        errorSlot.replaceChildren(notice(friendlyMessage(err), 'error'));
      }
    };
    const what = `“${info.title.toLowerCase()}”`;
    const action = current
      ? h('button', { type: 'button', class: 'button secondary',
                      'aria-label': `Withdraw: ${info.title}` }, 'Withdraw')
      : h('button', { type: 'button', class: 'button',
                      'aria-label': `Give consent: ${info.title}` }, 'Give consent');
    const actions = h('div', { class: 'card-actions' }, action);
    askBeforeActing(action, article, actions, () => {
      if (current) {
        const withdrawPath = `/v1/clients/me/consents/${encodeURIComponent(current.id)}:withdraw`;
        return {
          question: `Withdraw your consent to ${what}?`,
          detail: `It takes effect straight away. ${info.withdraw}`,
          yesLabel: 'Yes, withdraw',
          noLabel: 'No, keep it',
          onYes: tryTo(() => api('POST', withdrawPath, {}),
                       `Your consent to ${what} is withdrawn.`),
        };
      }
      // One request id per "are you sure?" step, so pressing Yes again after a lost answer
      // cannot record the consent twice.
      const rid = requestId();
      return {
        question: `Give your consent to ${what}?`,
        detail: `${info.text} You can withdraw it here at any time.`,
        yesLabel: 'Yes, I agree',
        yesClass: 'button',
        noLabel: 'Not now',
        onYes: tryTo(() => api('POST', '/v1/clients/me/consents',
                               { kind: info.kind, textVersion: TEXT_VERSION, requestId: rid }),
                     `Thank you. Your consent to ${what} is recorded.`),
      };
    });

    article.append(
      h('h2', { id: titleId }, info.title),
      h('p', null, info.text),
      stateLine,
      errorSlot,
      actions,
    );
    if (grants.length) {
      article.appendChild(h('details', { class: 'consent-history' },
                            h('summary', null, 'History'),
                            h('ul', null, grants.map((c) => h('li', null, historyLine(c))))));
    }
    article.dataset.kind = info.kind;
    return article;
  }

  function draw() {
    list.replaceChildren(...KINDS.map(card));
  }

  async function reload(message, focusKind) {
    const answer = await api('GET', '/v1/clients/me/consents');
    state.consents = answer.consents || [];
    draw();
    status.replaceChildren(notice(message));
    announce(message);
    const again = list.querySelector(`[data-kind="${focusKind}"] .card-actions button`);
    if (again) again.focus();
  }

  main.append(
    h('p', { class: 'lead' },
      'What you have agreed to. Each one is separate: you can give or withdraw any of them ' +
      'here, at any time, and your care team will respect it.'),
    status, list);

  async function load() {
    list.replaceChildren(loading('Loading your consents…'));
    try {
      const [answer, team] = await Promise.all([
        api('GET', '/v1/clients/me/consents'),
        api('GET', '/v1/clients/me/careTeam').catch(() => ({})),
      ]);
      state.consents = answer.consents || [];
      state.team = new Map((team.members || []).map((m) => [m.userId, m.displayName]));
      draw();
    } catch (err) {
      list.replaceChildren(errorBox(err, load));
    }
  }
  await load();
}
