// Progress (#/progress): adherence, pain and anxiety over time and the dilator size timeline as
// inline SVG (built with DOM APIs, coloured by CSS classes), each with a table of the same
// numbers; milestones celebrated; her recent practice. A partner sees the charts and milestones
// only while she shares her progress summary (the charts also need the programme schedule share,
// the only way to learn which programmes there are), never her practice log; without the share
// the screen says so kindly and asks the server nothing it would refuse.
import { api } from '../api.js';
import { h, s, formatDate, formatDateTime, loading, errorBox, uid } from '../dom.js';
import { isDilator } from '../words.js';
import { theirTitle } from './programme.js';

const PROGRESS_SHARE = 'PARTNER_SHARE_PROGRESS_SUMMARY';
const SCHEDULE_SHARE = 'PARTNER_SHARE_PROGRAMME_SCHEDULE';

// Whose progress the words speak of: hers ("you"), or, for a partner, the person they support.
const YOU = {
  did: 'you did',
  noScores: 'No scores yet: they will appear here once you log a session.',
  sizeSince: 'You have practised',
  current: 'Your current size is',
  longest: 'your longest run of days',
  section: 'Your progress',
  noVictory: 'Your first small victory is waiting. Every session you log brings it closer.',
  celebrate: (m) => m.celebrationMessage || 'A small victory.',
};

// The server's celebration messages speak to her ("You practised…"); a partner reads the same
// moments told about her.
function partnerCelebration(name, m) {
  switch (m.kind) {
    case 'PROGRESS_MILESTONE_KIND_FIRST_SESSION':
      return `${name} did a first practice session. Starting is often the hardest part.`;
    case 'PROGRESS_MILESTONE_KIND_FIRST_SESSION_AT_NEW_SIZE':
      return `${name} practised with size ${m.size} for the first time.`;
    case 'PROGRESS_MILESTONE_KIND_FIRST_PAIN_FREE_SESSION':
      return `${name} had a session that felt comfortable all the way through.`;
    case 'PROGRESS_MILESTONE_KIND_FOUR_STEADY_WEEKS':
      return `Four weeks of steady practice for ${name}.`;
    case 'PROGRESS_MILESTONE_KIND_TEN_SESSIONS':
      return `Ten practice sessions for ${name}. Every one of them counts.`;
    case 'PROGRESS_MILESTONE_KIND_FIFTY_SESSIONS':
      return `Fifty practice sessions for ${name}.`;
    case 'PROGRESS_MILESTONE_KIND_SEVEN_DAY_STREAK':
      return `Seven days in a row for ${name}: a gentle habit is forming.`;
    case 'PROGRESS_MILESTONE_KIND_TOP_OF_LADDER':
      return `${name} reached size ${m.size}, the largest of the set. A real achievement, at ` +
             `${name}’s own pace.`;
    default:
      return 'A small victory.';
  }
}

function voiceOf(name) {
  return {
    did: `${name} did`,
    noScores: `No scores yet: they will appear here once ${name} logs a session.`,
    sizeSince: `${name} has practised`,
    current: 'The current size is',
    longest: 'longest run of days',
    section: `${name}’s progress`,
    noVictory: `${name}’s first small victory is still ahead. Every session brings it closer.`,
    celebrate: (m) => partnerCelebration(name, m),
  };
}

const W = 360;
const H = 220;
const PAD = { left: 44, right: 16, top: 18, bottom: 34 };

// Which weeks get a date label under the x axis: every week, every 2nd or every 3rd.
function labelled(i, count) {
  const every = count > 8 ? 3 : count > 4 ? 2 : 1;
  return i % every === 0;
}

function shortDate(ymd) {
  const [y, m, d] = String(ymd).split('-').map(Number);
  if (!y) return '';
  return new Date(y, m - 1, d).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

function tableDate(ymd) {
  const [y, m, d] = String(ymd).split('-').map(Number);
  if (!y) return '—';
  return new Date(y, m - 1, d).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

function dayNumber(ymd) {
  const [y, m, d] = String(ymd).split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
}

function svgFrame(labelIds) {
  return s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': labelIds.join(' '),
                    focusable: 'false', preserveAspectRatio: 'xMidYMid meet' });
}

function yAxis(svg, max, ticks, format) {
  const innerH = H - PAD.top - PAD.bottom;
  for (const t of ticks) {
    const y = PAD.top + innerH - (t / max) * innerH;
    svg.appendChild(s('line', { class: 'chart-grid', x1: PAD.left, x2: W - PAD.right, y1: y, y2: y }));
    svg.appendChild(s('text', { class: 'chart-label', x: PAD.left - 5, y: y + 4, 'text-anchor': 'end' },
                      format(t)));
  }
  svg.appendChild(s('line', { class: 'chart-axis', x1: PAD.left, x2: PAD.left, y1: PAD.top,
                              y2: H - PAD.bottom }));
  svg.appendChild(s('line', { class: 'chart-axis', x1: PAD.left, x2: W - PAD.right,
                              y1: H - PAD.bottom, y2: H - PAD.bottom }));
}

function table(caption, headers, rows) {
  return h('details', { class: 'chart-table' },
           h('summary', null, 'Show the numbers', h('span', { class: 'visually-hidden' }, `: ${caption}`)),
           h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `${caption}, as a table` },
             h('table', null,
               h('caption', { class: 'visually-hidden' }, caption),
               h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
               h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0
                 ? h('th', { scope: 'row' }, c) : h('td', null, c)))))))));
}

function figure(title, summaryText, svg, tableEl, legend) {
  const captionId = uid('chart-title');
  const summaryId = uid('chart-summary');
  const chart = svgFrame([captionId, summaryId]);
  for (const child of svg) chart.appendChild(child);
  return h('section', { class: 'chart card', 'aria-labelledby': captionId },
           h('h3', { id: captionId }, title),
           h('p', { id: summaryId }, summaryText),
           legend || null,
           chart,
           tableEl);
}

// Sums the items' weeks into one series (weeks are aligned: same range for every item).
function combinedWeeks(items) {
  const byWeek = new Map();
  for (const item of items) {
    for (const w of item.weeks || []) {
      const e = byWeek.get(w.weekStart) || { weekStart: w.weekStart, prescribed: 0, done: 0,
                                             doneCapped: 0, painSum: 0, anxietySum: 0, scored: 0,
                                             anxietyScored: 0 };
      e.prescribed += w.prescribed || 0;
      e.done += w.done || 0;
      e.doneCapped += Math.min(w.done || 0, w.prescribed || 0);
      if (w.averagePainTenths >= 0 && w.done > 0) {
        e.painSum += w.averagePainTenths * w.done;
        e.scored += w.done;
      }
      if (w.averageAnxietyTenths >= 0 && w.done > 0) {
        e.anxietySum += w.averageAnxietyTenths * w.done;
        e.anxietyScored += w.done;
      }
      byWeek.set(w.weekStart, e);
    }
  }
  return [...byWeek.values()].sort((a, b) => a.weekStart.localeCompare(b.weekStart)).map((e) => ({
    ...e,
    pain: e.scored ? e.painSum / e.scored / 10 : null,
    anxiety: e.anxietyScored ? e.anxietySum / e.anxietyScored / 10 : null,
  }));
}

function adherenceChart(weeks, voice) {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const nodes = [];
  const frame = s('g');
  yAxis(frame, 100, [0, 50, 100], (t) => `${t}%`);
  nodes.push(frame);
  const slot = innerW / Math.max(weeks.length, 1);
  weeks.forEach((w, i) => {
    const pct = w.prescribed > 0 ? Math.min(100, (w.doneCapped / w.prescribed) * 100) : 0;
    const barH = (pct / 100) * innerH;
    const x = PAD.left + i * slot + slot * 0.15;
    nodes.push(s('rect', { class: 'chart-bar', x: x.toFixed(1), y: (PAD.top + innerH - barH).toFixed(1),
                           width: (slot * 0.7).toFixed(1), height: Math.max(barH, 0).toFixed(1) }));
    if (labelled(i, weeks.length)) {
      nodes.push(s('text', { class: 'chart-label', x: (PAD.left + i * slot + slot / 2).toFixed(1),
                             y: H - PAD.bottom + 20, 'text-anchor': 'middle' }, shortDate(w.weekStart)));
    }
  });
  const prescribed = weeks.reduce((n, w) => n + w.prescribed, 0);
  const done = weeks.reduce((n, w) => n + w.doneCapped, 0);
  const summary = prescribed > 0
    ? `Over these ${weeks.length} weeks ${voice.did} ${done} of the ${prescribed} planned sessions ` +
      `(${Math.round((done / prescribed) * 100)}%). Bars show each week, from ${
        shortDate(weeks[0].weekStart)}.`
    : 'Nothing was planned in these weeks yet.';
  const rows = weeks.map((w) => [`${tableDate(w.weekStart)}`, String(w.done),
                                 String(w.prescribed),
                                 w.prescribed > 0 ? `${Math.round(Math.min(1, w.doneCapped / w.prescribed) * 100)}%` : '—']);
  return figure('Sessions done each week', summary, nodes,
                table('Sessions done each week', ['Week of', 'Done', 'Planned', 'Kept up'], rows));
}

function trendChart(weeks, voice) {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const nodes = [];
  const frame = s('g');
  yAxis(frame, 10, [0, 5, 10], (t) => String(t));
  nodes.push(frame);
  const slot = innerW / Math.max(weeks.length, 1);
  const xOf = (i) => PAD.left + i * slot + slot / 2;
  const yOf = (v) => PAD.top + innerH - (v / 10) * innerH;
  weeks.forEach((w, i) => {
    if (labelled(i, weeks.length)) {
      nodes.push(s('text', { class: 'chart-label', x: xOf(i).toFixed(1), y: H - PAD.bottom + 20,
                             'text-anchor': 'middle' }, shortDate(w.weekStart)));
    }
  });
  for (const [key, cls] of [['pain', ''], ['anxiety', 'second']]) {
    // Lines join consecutive weeks with a score; a week without one leaves a gap.
    let d = '';
    let joined = false;
    weeks.forEach((w, i) => {
      if (w[key] === null) {
        joined = false;
        return;
      }
      d += `${joined ? 'L' : 'M'}${xOf(i).toFixed(1)} ${yOf(w[key]).toFixed(1)} `;
      joined = true;
      nodes.push(s('circle', { class: `chart-dot ${cls}`.trim(), cx: xOf(i).toFixed(1),
                               cy: yOf(w[key]).toFixed(1), r: 3.5 }));
    });
    if (d) nodes.unshift(s('path', { class: `chart-line ${cls}`.trim(), d: d.trim() }));
  }
  // Keep the frame under everything.
  nodes.splice(nodes.indexOf(frame), 1);
  nodes.unshift(frame);
  const scored = weeks.filter((w) => w.pain !== null);
  let summary = voice.noScores;
  if (scored.length) {
    const first = scored[0];
    const last = scored[scored.length - 1];
    summary = `Weekly averages, 0 to 10. Pain was ${first.pain.toFixed(1)} in the week of ${
      shortDate(first.weekStart)}`;
    summary += scored.length > 1 ? ` and ${last.pain.toFixed(1)} in the week of ${shortDate(last.weekStart)}; ` : '; ';
    summary += `anxiety went from ${first.anxiety === null ? '—' : first.anxiety.toFixed(1)} to ${
      last.anxiety === null ? '—' : last.anxiety.toFixed(1)}.`;
  }
  const legend = h('ul', { class: 'chart-legend' },
                   h('li', null, h('span', { class: 'legend-swatch', 'aria-hidden': 'true' }), 'Pain (solid line)'),
                   h('li', null, h('span', { class: 'legend-swatch second', 'aria-hidden': 'true' }),
                     'Anxiety (dashed line)'));
  const rows = weeks.map((w) => [`${tableDate(w.weekStart)}`,
                                 w.pain === null ? '—' : w.pain.toFixed(1),
                                 w.anxiety === null ? '—' : w.anxiety.toFixed(1)]);
  return figure('Pain and anxiety over time', summary, nodes,
                table('Pain and anxiety over time', ['Week of', 'Pain (average)', 'Anxiety (average)'], rows),
                legend);
}

function sizeChart(item, asOfDate, voice) {
  const periods = item.dilatorTimeline || [];
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const nodes = [];
  const maxSize = Math.max(...periods.map((p) => p.size), item.currentSize || 1, 2);
  const frame = s('g');
  const ticks = [];
  for (let i = 1; i <= maxSize; i += 1) ticks.push(i);
  yAxis(frame, maxSize, ticks, (t) => `${t}`);
  nodes.push(frame);
  const start = Math.min(...periods.map((p) => dayNumber(p.firstDate)));
  const end = Math.max(dayNumber(asOfDate || periods[periods.length - 1].lastDate),
                       ...periods.map((p) => dayNumber(p.lastDate)), start + 1);
  const xOf = (ymd) => PAD.left + ((dayNumber(ymd) - start) / (end - start)) * innerW;
  const yOf = (size) => PAD.top + innerH - (size / maxSize) * innerH;
  periods.forEach((p) => {
    const x1 = xOf(p.firstDate);
    const x2 = Math.max(xOf(p.lastDate), x1 + 6);
    nodes.push(s('rect', { class: 'chart-bar', x: x1.toFixed(1), y: (yOf(p.size) - 5).toFixed(1),
                           width: (x2 - x1).toFixed(1), height: 10, rx: 3 }));
  });
  nodes.push(s('text', { class: 'chart-label', x: PAD.left, y: H - PAD.bottom + 20,
                         'text-anchor': 'start' }, shortDate(periods[0].firstDate)));
  nodes.push(s('text', { class: 'chart-label', x: W - PAD.right, y: H - PAD.bottom + 20,
                         'text-anchor': 'end' }, asOfDate ? `Today` : ''));
  const sizes = periods.map((p) => p.size);
  const summary = periods.length === 1
    ? `${voice.sizeSince} with size ${sizes[0]} since ${formatDate(periods[0].firstDate)}.`
    : `Sizes over time: ${periods.map((p) => `size ${p.size} from ${shortDate(p.firstDate)}`).join(', ')}.` +
      (item.currentSize ? ` ${voice.current} ${item.currentSize}.` : '');
  const rows = periods.map((p) => [`Size ${p.size}`, p.diameterMm ? `${p.diameterMm} mm` : '—',
                                   tableDate(p.firstDate), tableDate(p.lastDate),
                                   String(p.sessions || 0), String(p.days || 0)]);
  return figure('Size over time', summary, nodes,
                table('Size over time', ['Size', 'Width', 'First time', 'Most recent', 'Sessions', 'Days'], rows));
}

function stat(value, label) {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value),
           h('span', { class: 'stat-label' }, label));
}

function programmeProgress(programme, progress, showTitle, voice = YOU) {
  const section = h('section', { 'aria-label': showTitle ? programme.title : voice.section });
  if (showTitle) section.appendChild(h('h2', null, programme.title || 'Home programme'));
  const items = progress.items || [];
  const weeks = combinedWeeks(items);
  const total = items.reduce((n, i) => n + (i.totalSessions || 0), 0);
  const streak = Math.max(0, ...items.map((i) => i.currentStreakDays || 0));
  const longest = Math.max(0, ...items.map((i) => i.longestStreakDays || 0));
  const prescribed = weeks.reduce((n, w) => n + w.prescribed, 0);
  const done = weeks.reduce((n, w) => n + w.doneCapped, 0);
  const stats = [stat(String(total), total === 1 ? 'session logged' : 'sessions logged')];
  if (prescribed > 0) stats.push(stat(`${Math.round((done / prescribed) * 100)}%`, 'of planned sessions done'));
  stats.push(stat(String(streak), streak === 1 ? 'day in a row' : 'days in a row'));
  if (longest > streak) stats.push(stat(String(longest), voice.longest));
  if (progress.goalsTotal > 0) {
    stats.push(stat(`${progress.goalsAchieved} of ${progress.goalsTotal}`, 'goals reached'));
  }
  section.appendChild(h('div', { class: 'stat-grid' }, stats));
  if (weeks.length) {
    section.appendChild(adherenceChart(weeks, voice));
    section.appendChild(trendChart(weeks, voice));
  }
  for (const item of items) {
    if (isDilator(item.category) && (item.dilatorTimeline || []).length) {
      section.appendChild(sizeChart(item, progress.asOfDate, voice));
    }
  }
  const perItem = items.filter((i) => i.adherencePercent >= 0 || i.totalSessions);
  if (perItem.length > 1) {
    section.appendChild(h('h3', null, 'Each practice'));
    section.appendChild(h('ul', null, perItem.map((i) => h('li', null, `${i.title}: ${
      i.totalSessions || 0} ${i.totalSessions === 1 ? 'session' : 'sessions'}${
      i.adherencePercent >= 0 ? `, ${i.adherencePercent}% of planned` : ''}`))));
  }
  return section;
}

function milestonesSection(fromProgress, recorded, voice = YOU) {
  const list = [];
  for (const m of fromProgress) {
    list.push({ date: m.date, text: voice.celebrate(m) });
  }
  for (const m of recorded) list.push({ date: m.achievedDate, text: m.title });
  list.sort((a, b) => String(b.date).localeCompare(String(a.date)));
  const section = h('section', { class: 'celebrate', 'aria-labelledby': 'milestones-title' },
                    h('h2', { id: 'milestones-title' }, 'Small victories'));
  if (!list.length) {
    section.appendChild(h('p', null, voice.noVictory));
    return section;
  }
  const entry = (m) => h('li', null, h('strong', null, m.text),
                         m.date ? h('span', { class: 'muted small' }, ` — ${formatDate(m.date)}`) : null);
  section.appendChild(h('ul', { class: 'milestone-list', 'aria-label': 'Newest victories' },
                        list.slice(0, 3).map(entry)));
  if (list.length > 3) {
    section.appendChild(h('details', { class: 'how-to' },
                          h('summary', null, `See all ${list.length}`),
                          h('ul', { class: 'milestone-list' }, list.slice(3).map(entry))));
  }
  return section;
}

function recentSection(logs, titles) {
  const section = h('section', { 'aria-labelledby': 'recent-title' },
                    h('h2', { id: 'recent-title' }, 'Your recent practice'));
  if (!logs.length) {
    section.appendChild(h('p', null, 'Nothing logged yet. When you log a session it shows up here.'));
    return section;
  }
  section.appendChild(h('ul', { class: 'card-list', 'aria-label': 'Recent practice' }, logs.map((l) => {
    const bits = [];
    if (l.completion === 'PRACTICE_COMPLETION_SKIPPED') bits.push('gave it a miss');
    else if (l.completion === 'PRACTICE_COMPLETION_PARTLY') bits.push('some of it');
    if (l.durationMinutes) bits.push(`${l.durationMinutes} min`);
    if (l.dilatorSize) bits.push(`size ${l.dilatorSize}`);
    if (l.pain !== undefined) bits.push(`pain ${l.pain}/10`);
    if (l.anxiety !== undefined) bits.push(`anxiety ${l.anxiety}/10`);
    return h('li', { class: 'card' },
             h('p', null, h('strong', null, titles.get(`${l.programmeId}/${l.itemId}`) || 'Practice')),
             h('p', { class: 'muted small' }, formatDateTime(l.practicedAt)),
             bits.length ? h('p', null, bits.join(' · ')) : null);
  })));
  return section;
}

// A partner account: the progress of the person they support, as she shares it.
async function renderForPartner(main, ctx) {
  ctx.setHeading('Their progress');
  const status = loading('Gathering the progress…');
  main.appendChild(status);
  let view = ctx.partnerView;
  let programmes = [];
  let progresses = [];
  let recorded = [];
  try {
    if (!view) view = await api('GET', '/v1/clients/me/partnerView');
    const shares = view.shares || [];
    // Ask only for what is shared: a refused request would show in her "Who viewed my record"
    // as an attempt by the partner. Her practice log is never asked for.
    if (shares.includes(PROGRESS_SHARE)) {
      const base = `/v1/clients/${encodeURIComponent(view.clientId)}`;
      const [list, milestones] = await Promise.all([
        shares.includes(SCHEDULE_SHARE) ? api('GET', `${base}/programmes`) : { programmes: [] },
        api('GET', `${base}/milestones`),
      ]);
      programmes = (list.programmes || []).filter((p) => p.status !== 'PROGRAMME_STATUS_DRAFT');
      recorded = milestones.milestones || [];
      progresses = await Promise.all(programmes.map((p) => api(
        'GET', `${base}/programmes/${encodeURIComponent(p.id)}/progress?weeks=12`)));
      const name = view.displayName || 'Your partner';
      programmes = programmes.map((p) => ({ ...p, title: theirTitle(p.title, name) }));
    }
  } catch (err) {
    status.remove();
    main.appendChild(errorBox(err, () => ctx.navigate('#/progress')));
    return;
  }
  status.remove();
  const name = view.displayName || 'Your partner';
  ctx.setHeading(`${name}’s progress`);
  if (!(view.shares || []).includes(PROGRESS_SHARE)) {
    main.appendChild(h('div', { class: 'notice' },
                       h('p', null, `${name} is not sharing their progress with you just now. ` +
                                    `That is ${name}’s choice, and it can change at any time.`),
                       h('p', null, h('a', { href: '#/today' }, 'Go to today'))));
    return;
  }
  const voice = voiceOf(name);
  main.appendChild(h('p', { class: 'lead' },
                     `Progress is rarely a straight line. Here is how far ${name} has come, ` +
                     `shared with you by ${name}.`));
  const fromProgress = progresses.flatMap((p) => p.milestones || []);
  main.appendChild(milestonesSection(fromProgress, recorded, voice));
  programmes.forEach((p, i) => main.appendChild(
    programmeProgress(p, progresses[i], programmes.length > 1, voice)));
}

export async function render(main, ctx) {
  if (ctx.user && ctx.user.role === 'ROLE_PARTNER') {
    await renderForPartner(main, ctx);
    return;
  }
  ctx.setHeading('Progress');
  const status = loading('Gathering your progress…');
  main.appendChild(status);
  let programmes;
  let progresses;
  let recorded;
  let logs;
  try {
    const [list, milestones, recent] = await Promise.all([
      api('GET', '/v1/clients/me/programmes'),
      api('GET', '/v1/clients/me/milestones'),
      api('GET', '/v1/clients/me/practiceLogs?pageSize=5'),
    ]);
    programmes = (list.programmes || []).filter((p) => p.status !== 'PROGRAMME_STATUS_DRAFT');
    recorded = milestones.milestones || [];
    logs = recent.logs || [];
    progresses = await Promise.all(programmes.map((p) => api(
      'GET', `/v1/clients/me/programmes/${encodeURIComponent(p.id)}/progress?weeks=12`)));
  } catch (err) {
    status.remove();
    main.appendChild(errorBox(err, () => ctx.navigate('#/progress')));
    return;
  }
  status.remove();
  main.appendChild(h('p', { class: 'lead' },
                     'Progress is rarely a straight line. Here is how far you have come.'));
  const titles = new Map();
  for (const p of programmes) {
    for (const item of p.items || []) {
      titles.set(`${p.id}/${item.id}`, (item.exercise && item.exercise.title) || 'Practice');
    }
  }
  const fromProgress = progresses.flatMap((p) => p.milestones || []);
  main.appendChild(milestonesSection(fromProgress, recorded));
  if (!programmes.length) {
    main.appendChild(h('p', null, 'Once your care team sets up a home programme, your progress ' +
                                  'will show here.'));
  }
  programmes.forEach((p, i) => main.appendChild(programmeProgress(p, progresses[i], programmes.length > 1)));
  main.appendChild(recentSection(logs, titles));
}
