// Today (#/today): what is due today across her active programmes, one tap to log each.
import { api } from '../api.js';
import { h, formatDate, loading, errorBox } from '../dom.js';
import { doseWords, isDilator, minutesWords, logHref } from '../words.js';

function greeting(user) {
  const hour = new Date().getHours();
  const part = hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
  const name = user && user.displayName ? user.displayName.replace(/\s*\(.*\)\s*$/, '') : '';
  return name ? `${part}, ${name}` : part;
}

function detailLine(item) {
  const bits = [];
  if (isDilator(item.category)) {
    if (item.dilatorSize) bits.push(`Size ${item.dilatorSize}`);
    if (item.minutesPerSession) bits.push(minutesWords(item.minutesPerSession));
  } else {
    const dose = doseWords(item.dose);
    if (dose) bits.push(dose);
  }
  return bits.join(' · ');
}

function itemCard(item) {
  const due = item.dueToday || 0;
  const done = item.doneToday || 0;
  // A weekly item whose sessions for the week are all done has nothing due today.
  const weekComplete = item.weekPrescribed > 0 && (item.weekDone || 0) >= item.weekPrescribed;
  const finished = due > 0 ? done >= due : done > 0 || weekComplete;
  const titleId = `due-${item.programmeId}-${item.itemId}`;
  let doneWords = 'Done for today — lovely';
  if (done > due && due > 0) doneWords = 'Done today, and then some';
  else if (due === 0 && done === 0) doneWords = 'Done for this week — lovely';
  let openWords = 'Not yet today — that’s okay';
  if (done > 0) openWords = `${done} of ${due} done today`;
  else if (due === 0) openWords = 'Nothing due today';
  const status = finished
    ? h('p', null, h('span', { class: 'tag done' }, doneWords))
    : h('p', null, h('span', { class: 'tag' }, openWords));
  const week = item.weekPrescribed
    ? h('p', { class: 'muted small' }, `This week so far: ${item.weekDone || 0} of ${item.weekPrescribed}`)
    : null;
  const detail = detailLine(item);
  return h('li', null,
           h('article', { class: finished ? 'card done' : 'card', 'aria-labelledby': titleId },
             h('h2', { id: titleId }, item.title || 'Practice time'),
             detail ? h('p', null, detail) : null,
             item.reminderText && !finished ? h('p', { class: 'muted' }, item.reminderText) : null,
             status,
             week,
             h('div', { class: 'card-actions' },
               h('a', {
                 class: finished ? 'button secondary' : 'button',
                 href: logHref(item.programmeId, item.itemId),
                 'aria-label': `${finished ? 'Log another' : 'Log it'}: ${item.title || 'practice'}`,
               }, finished ? 'Log another' : 'Log it'))));
}

const SHARE_WORDS = {
  PARTNER_SHARE_PLAN_SUMMARY: 'the plan, in plain words',
  PARTNER_SHARE_GOALS: 'the goals in that plan',
  PARTNER_SHARE_PROGRAMME_SCHEDULE: 'the home practice schedule',
  PARTNER_SHARE_PROGRESS_SUMMARY: 'a summary of progress',
};

// A partner account: what the person they support shares with them.
async function renderPartner(main, ctx, status) {
  let view;
  try {
    // The shell asks for the partner view on each navigation; ask here only when it could not.
    view = ctx.partnerView || await api('GET', '/v1/clients/me/partnerView');
  } catch (err) {
    status.remove();
    main.appendChild(errorBox(err, () => ctx.navigate('#/today')));
    return;
  }
  status.remove();
  ctx.setRole('ROLE_PARTNER');
  const name = view.displayName || 'your partner';
  main.appendChild(h('p', { class: 'lead' }, greeting(ctx.user)));
  const shares = (view.shares || []).map((s) => SHARE_WORDS[s]).filter(Boolean);
  main.appendChild(h('div', { class: 'card' },
                     h('p', null, `You are connected with ${name}.`),
                     shares.length
                       ? [h('p', null, `${name} shares with you:`),
                         h('ul', null, shares.map((s) => h('li', null, s)))]
                       : h('p', null, `${name} is not sharing anything with you just now. ` +
                                      'That is their choice, and it can change at any time.')));
  const links = [
    ['PARTNER_SHARE_PLAN_SUMMARY', '#/plan', `See the plan ${name} shares`],
    ['PARTNER_SHARE_PROGRAMME_SCHEDULE', '#/programme', `See ${name}’s programme`],
    ['PARTNER_SHARE_PROGRESS_SUMMARY', '#/progress', `See ${name}’s progress`],
  ].filter(([share]) => (view.shares || []).includes(share));
  if (links.length) {
    main.appendChild(h('ul', { class: 'card-list', 'aria-label': `What ${name} shares` },
                       links.map(([, href, text]) => h('li', null,
                                                        h('a', { class: 'button', href }, text)))));
  }
}

export async function render(main, ctx) {
  ctx.setHeading('Today');
  const status = loading('Getting today ready…');
  main.appendChild(status);
  if (ctx.user && ctx.user.role === 'ROLE_PARTNER') {
    await renderPartner(main, ctx, status);
    return;
  }
  let answer;
  try {
    answer = await api('GET', '/v1/clients/me/dueItems');
  } catch (err) {
    if (err.code === 'PERMISSION_DENIED' && ctx.user && !ctx.user.role) {
      // Role unknown after a reload: a partner account cannot read due items.
      await renderPartner(main, ctx, status);
      return;
    }
    status.remove();
    main.appendChild(errorBox(err, () => ctx.navigate('#/today')));
    return;
  }
  status.remove();
  if (ctx.user && !ctx.user.role) ctx.setRole('ROLE_PATIENT');

  main.appendChild(h('p', { class: 'lead' }, greeting(ctx.user),
                     answer.date ? ` — ${formatDate(answer.date)}` : ''));
  const items = answer.items || [];
  if (!items.length) {
    main.appendChild(h('div', { class: 'notice' },
                       h('p', null, 'Nothing is planned for today. Enjoy the rest — it is part of ' +
                                    'the plan too.'),
                       h('p', null, h('a', { href: '#/programme' }, 'See my programme'))));
    return;
  }
  const due = items.reduce((n, i) => n + (i.dueToday || 0), 0);
  const done = items.reduce((n, i) => n + Math.min(i.doneToday || 0, i.dueToday || 0), 0);
  const weekDone = items.reduce((n, i) => n + (i.weekDone || 0), 0);
  let summary;
  if (due > 0 && done >= due) summary = 'Everything for today is done. Well done — that is real progress.';
  else if (done > 0) summary = `${done} of ${due} done today. Every bit counts.`;
  else if (weekDone > 0) {
    summary = `You have done ${weekDone} ${weekDone === 1 ? 'session' : 'sessions'} this week ` +
              'already — that counts. Here is what is planned for today. Go at your own pace.';
  } else summary = 'Here is what is planned for today. Go at your own pace.';
  main.appendChild(h('p', null, summary));
  main.appendChild(h('ul', { class: 'card-list', 'aria-label': 'Planned for today' },
                     items.map(itemCard)));
  main.appendChild(h('p', null, h('a', { href: '#/progress' }, 'See how far you have come')));
}
