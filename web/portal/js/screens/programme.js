// My programme (#/programme, or #/programme/<programmeId>): each exercise with its instructions,
// how often and how much, and the current dilator size.
import { api } from '../api.js';
import { h, formatDate, loading, errorBox } from '../dom.js';
import { doseWords, scheduleWords, sizeWords, minutesWords, paragraphs, PROGRAMME_STATUS, logHref } from '../words.js';

function itemSection(programme, item, index) {
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
                          h('p', null, h('strong', null, 'A note from your care team: ')),
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
  if (programme.status === 'PROGRAMME_STATUS_ACTIVE') {
    section.appendChild(h('div', { class: 'card-actions' },
                          h('a', { class: 'button secondary',
                                   href: logHref(programme.id, item.id),
                                   'aria-label': `Log this practice: ${ex.title || 'practice'}` },
                            'Log this practice')));
  }
  return section;
}

function programmeSection(programme, single) {
  const headingId = `programme-${programme.id}`;
  const section = h('section', { 'aria-labelledby': headingId });
  section.appendChild(h('h2', { id: headingId }, programme.title || 'Your home programme'));
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
    section.appendChild(h('p', null, 'This programme is on a break for now, so nothing is due. ' +
                                     'Your care team will let you know when it starts again.'));
  }
  for (const p of paragraphs(programme.patientMessage)) {
    section.appendChild(h('p', { class: 'prose' }, p));
  }
  (programme.items || []).forEach((item, i) => section.appendChild(itemSection(programme, item, i)));
  if (!single) section.appendChild(h('hr'));
  return section;
}

export async function render(main, ctx) {
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
  // Current ones first, finished ones last.
  const order = { PROGRAMME_STATUS_ACTIVE: 0, PROGRAMME_STATUS_PAUSED: 1, PROGRAMME_STATUS_ENDED: 2 };
  programmes.sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3));
  main.appendChild(h('p', { class: 'lead' },
                     'What you and your care team agreed to practise at home. ' +
                     'Go gently: small steps count.'));
  programmes.forEach((p, i) => main.appendChild(programmeSection(p, i === programmes.length - 1)));
}
