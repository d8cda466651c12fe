// Who viewed my record (#/access): every access by someone other than her, newest first, in
// plain words. Emergency (break-glass) access is marked and shows the reason given.

import { api } from '../api.js';
import { errorBox, formatDate, formatDateTime, h, loading, uid } from '../dom.js';
import { drawPager } from './parts.js';

const PAGE_SIZE = 25;

const KIND_WORDS = {
  RECORD_ACCESS_KIND_VIEWED: 'Viewed',
  RECORD_ACCESS_KIND_CHANGED: 'Changed',
  RECORD_ACCESS_KIND_EXPORTED: 'Exported',
  RECORD_ACCESS_KIND_ERASED: 'Erased',
  RECORD_ACCESS_KIND_BREAK_GLASS: 'Emergency access',
  RECORD_ACCESS_KIND_REFUSED: 'Refused',
};

function sentence(a) {
  const who = a.accessorName || 'Someone at your clinic';
  const role = a.accessorRole ? `, ${a.accessorRole},` : '';
  const what = a.description || 'looked at your record';
  return `${who}${role} ${what}.`;
}

function dayKey(iso) {
  return formatDate(iso);
}

// "14:05": the day is the heading above.
function timeOfDay(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return formatDateTime(iso);
  return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

export async function render(main, ctx) {
  ctx.setHeading('Who viewed my record');

  const state = { accesses: [], nextPageToken: '' };
  const list = h('div', { class: 'access-list' });
  const more = h('div');
  let lastDay = '';
  let currentList = null;

  function item(a) {
    const emergency = a.breakGlass || a.kind === 'RECORD_ACCESS_KIND_BREAK_GLASS';
    const refused = a.kind === 'RECORD_ACCESS_KIND_REFUSED';
    const classes = ['access-item'];
    if (emergency) classes.push('is-emergency');
    if (refused) classes.push('is-refused');
    return h('li', { class: classes.join(' ') },
             h('p', { class: 'access-when' },
               h('time', { datetime: a.time, title: formatDateTime(a.time) }, timeOfDay(a.time)),
               emergency ? h('span', { class: 'tag tag-emergency' }, 'Emergency access') : null,
               refused ? h('span', { class: 'tag tag-refused' }, 'Stopped') : null),
             h('p', { class: 'access-what' }, sentence(a)),
             emergency && a.breakGlassReason
               ? h('p', { class: 'access-reason' }, `Reason given: “${a.breakGlassReason}”`)
               : null);
  }

  // Groups the items by day under a small heading, continuing the last day across pages.
  function append(accesses) {
    let firstNew = null;
    for (const a of accesses) {
      const day = dayKey(a.time);
      if (day !== lastDay || !currentList) {
        lastDay = day;
        const headingId = uid('day');
        currentList = h('ul', { class: 'access-day', 'aria-labelledby': headingId });
        const heading = h('h2', { id: headingId, class: 'access-day-title' }, day);
        list.append(heading, currentList);
        if (!firstNew) firstNew = heading;
      }
      const li = item(a);
      currentList.appendChild(li);
      if (!firstNew) firstNew = li;
    }
    return firstNew;
  }

  function drawMore() {
    drawPager(more, state, {
      label: 'Show earlier',
      endText: state.accesses.length ? 'That is everything.' : '',
      fetchPage: (pageToken) => api('GET', `/v1/clients/me/recordAccess?pageSize=${PAGE_SIZE}` +
                                           `&pageToken=${encodeURIComponent(pageToken)}`),
      addPage: (page) => {
        state.accesses.push(...(page.accesses || []));
        return append(page.accesses || []);
      },
    });
  }

  main.append(
    h('p', { class: 'lead' },
      'Everyone at the clinic who opened or changed your record, newest first. Your own ' +
      'visits are not listed.'),
    h('p', { class: 'hint' },
      'Emergency access is used only when someone outside your care team needs to help you ' +
      'urgently; it is always shown here with the reason they gave. If anything here worries ' +
      'you, talk to your care team or the clinic.'),
    list, more);

  async function load() {
    list.replaceChildren(loading('Loading…'));
    try {
      const page = await api('GET', `/v1/clients/me/recordAccess?pageSize=${PAGE_SIZE}`);
      state.accesses = page.accesses || [];
      state.nextPageToken = page.nextPageToken || '';
      list.replaceChildren();
      lastDay = '';
      currentList = null;
      if (!state.accesses.length) {
        list.appendChild(h('p', { class: 'empty' }, 'Nobody else has opened your record yet.'));
      }
      append(state.accesses);
      drawMore();
    } catch (err) {
      list.replaceChildren(errorBox(err, load));
    }
  }
  await load();
}
