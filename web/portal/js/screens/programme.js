// My programme (#/programme, or #/programme/<programmeId>): each exercise with its instructions,
// how often and how much, and the current dilator size. A partner sees the patient's programmes
// here (read-only, nothing to log) only while she shares the programme schedule; without that
// share the screen says so kindly and asks the server nothing it would refuse.
import { api } from '../api.js';
import { h, formatDate, loading, errorBox } from '../dom.js';
import { doseWords, scheduleWords, sizeWords, minutesWords, paragraphs, PROGRAMME_STATUS, logHref } from '../words.js';

const SCHEDULE_SHARE = 'PARTNER_SHARE_PROGRAMME_SCHEDULE';

// `partnerName` is set when a partner is looking: words about the person they support, no
// logging.
function itemSection(programme, item, index, partnerName) {
  const ex = item.exercise || {};
  const headingId = `item-${programme.id}-${index}`;
  const section = h('article', { class: 'card', 'aria-labelledby': headingId });
  section.appendChild(h('h3', { id: headingId }, ex.title || 'Practice'));
  const facts = h('dl', { class: 'facts' });
  const add = (term, value) => {
    if (value) facts.append(h('dt', null, term), h('dd', null, value));
  };
  if (item.dilator) {
    const d = item.dilator;
    add('How often', d.sessionsPerWeek
      ? `${d.sessionsPerWeek} ${d.sessionsPerWeek === 1 ? 'time' : 'times'} a week` : '');
    add('How long', d.minutesPerSession ? `${minutesWords(d.minutesPerSession)} each time` : '');
    add('Current size', sizeWords(d.currentSize, d.set && d.set.sizes));
    add('Since', d.currentSizeSince ? formatDate(d.currentSizeSince) : '');
  } else {
    add('How often', scheduleWords(item.schedule));
    add('How much', doseWords(item.dose));
  }
  add('From', item.startDate ? formatDate(item.startDate) : '');
  add('Until', item.endDate ? formatDate(item.endDate) : '');
  if (facts.childNodes.length) section.appendChild(facts);

  if (item.instructions) {
    section.appendChild(h('div', { class: 'notice' },
                          h('p', null, h('strong', null, partnerName
                            ? 'A note from the care team: ' : 'A note from your care team: ')),
                          paragraphs(item.instructions).map((p) => h('p', { class: 'prose' }, p))));
  }
  if (ex.patientInstructions) {
    section.appendChild(h('details', { class: 'how-to' },
                          h('summary', null, 'How to do it',
                            h('span', { class: 'visually-hidden' }, `: ${ex.title || 'practice'}`)),
                          paragraphs(ex.patientInstructions).map((p) => h('p', { class: 'prose' }, p))));
  }
  const media = (ex.media || []).filter((m) => /^https:\/\//.test(m.url || ''));
  if (media.length) {
    section.appendChild(h('ul', { class: 'small' }, media.map((m) => h('li', null,
      h('a', { href: m.url, rel: 'noopener noreferrer', target: '_blank' },
        m.title || 'Further reading', h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'))))));
  }
  if (programme.status === 'PROGRAMME_STATUS_ACTIVE' && !partnerName) {
    section.appendChild(h('div', { class: 'card-actions' },
                          h('a', { class: 'button secondary',
                                   href: logHref(programme.id, item.id),
                                   'aria-label': `Log this practice: ${ex.title || 'practice'}` },
                            'Log this practice')));
  }
  return section;
}

// A title written to her ("Your home programme") as a partner reads it ("Jo’s home programme").
export function theirTitle(title, name) {
  if (!title) return `${name}’s home programme`;
  return title.replace(/^your\s+/i, `${name}’s `);
}

function programmeSection(programme, single, partnerName) {
  const headingId = `programme-${programme.id}`;
  const section = h('section', { 'aria-labelledby': headingId });
  section.appendChild(h('h2', { id: headingId }, partnerName
    ? theirTitle(programme.title, partnerName) : programme.title || 'Your home programme'));
  const meta = [];
  if (programme.status && PROGRAMME_STATUS[programme.status] &&
      programme.status !== 'PROGRAMME_STATUS_ACTIVE') {
    meta.push(h('span', { class: 'tag' }, PROGRAMME_STATUS[programme.status]));
  }
  if (programme.versionCreateTime) {
    meta.push(` Last updated ${formatDate(programme.versionCreateTime)}`);
  }
  if (meta.length) section.appendChild(h('p', { class: 'muted small' }, meta));
  if (programme.status === 'PROGRAMME_STATUS_PAUSED') {
    section.appendChild(h('p', null, partnerName
      ? 'This programme is on a break for now, so nothing is planned.'
      : 'This programme is on a break for now, so nothing is due. ' +
        'Your care team will let you know when it starts again.'));
  }
  // The care team's message is written to her; a partner sees the practice itself.
  if (!partnerName) {
    for (const p of paragraphs(programme.patientMessage)) {
      section.appendChild(h('p', { class: 'prose' }, p));
    }
  }
  (programme.items || []).forEach((item, i) => section.appendChild(
    itemSection(programme, item, i, partnerName)));
  if (!single) section.appendChild(h('hr'));
  return section;
}

// Current ones first, finished ones last.
function sortProgrammes(programmes) {
  const order = { PROGRAMME_STATUS_ACTIVE: 0, PROGRAMME_STATUS_PAUSED: 1, PROGRAMME_STATUS_ENDED: 2 };
  programmes.sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3));
}

// A partner account: the programmes of the person they support, as she shares them.
async function renderForPartner(main, ctx) {
  ctx.setHeading('Their programme');
  const status = loading('Getting the programme…');
  main.appendChild(status);
  let view = ctx.partnerView;
  let programmes = [];
  try {
    if (!view) view = await api('GET', '/v1/clients/me/partnerView');
    // Ask only when shared: a refused request would show in her "Who viewed my record" as an
    // attempt by the partner.
    if ((view.shares || []).includes(SCHEDULE_SHARE)) {
      const base = `/v1/clients/${encodeURIComponent(view.clientId)}/programmes`;
      programmes = ctx.params[0]
        ? [await api('GET', `${base}/${encodeURIComponent(ctx.params[0])}`)]
        : (await api('GET', base)).programmes || [];
    }
  } catch (err) {
    status.remove();
    main.appendChild(errorBox(err, () => ctx.navigate('#/programme')));
    return;
  }
  status.remove();
  const name = view.displayName || 'Your partner';
  ctx.setHeading(`${name}’s programme`);
  if (!(view.shares || []).includes(SCHEDULE_SHARE)) {
    main.appendChild(h('div', { class: 'notice' },
                       h('p', null, `${name} is not sharing their home practice with you just ` +
                                    `now. That is ${name}’s choice, and it can change at any time.`),
                       h('p', null, h('a', { href: '#/today' }, 'Go to today'))));
    return;
  }
  if (!programmes.length) {
    main.appendChild(h('div', { class: 'notice' },
                       h('p', null, `There is no home programme to show just now. When ${name} ` +
                                    'has one, you will find it here.')));
    return;
  }
  sortProgrammes(programmes);
  main.appendChild(h('p', { class: 'lead' },
                     `What ${name} and the care team agreed to practise at home, shared with you ` +
                     `by ${name}. The pace is ${name}’s to set: your encouragement helps, and ` +
                     'there is no need to check on every session.'));
  programmes.forEach((p, i) => main.appendChild(
    programmeSection(p, i === programmes.length - 1, name)));
}

export async function render(main, ctx) {
  if (ctx.user && ctx.user.role === 'ROLE_PARTNER') {
    await renderForPartner(main, ctx);
    return;
  }
  ctx.setHeading('My programme');
  const status = loading('Getting your programme…');
  main.appendChild(status);
  let programmes;
  try {
    if (ctx.params[0]) {
      programmes = [await api('GET', `/v1/clients/me/programmes/${encodeURIComponent(ctx.params[0])}`)];
    } else {
      programmes = (await api('GET', '/v1/clients/me/programmes')).programmes || [];
    }
  } catch (err) {
    status.remove();
    main.appendChild(errorBox(err, () => ctx.navigate('#/programme')));
    return;
  }
  status.remove();
  if (!programmes.length) {
    main.appendChild(h('div', { class: 'notice' },
                       h('p', null, 'There is no home programme for you yet. When your care team ' +
                                    'sets one up, it will appear here.')));
    return;
  }
  sortProgrammes(programmes);
  main.appendChild(h('p', { class: 'lead' },
                     'What you and your care team agreed to practise at home. ' +
                     'Go gently: small steps count.'));
  programmes.forEach((p, i) => main.appendChild(programmeSection(p, i === programmes.length - 1)));
}
