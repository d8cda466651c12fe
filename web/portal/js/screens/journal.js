// The patient's journal (#/journal): write, read, edit and delete entries. Every entry is
// private unless she shares it, and each entry says in plain words exactly who can read it.

import { api } from '../api.js';
import {
  announce, clearErrors, errorBox, field, formatDate, formatDateTime, friendlyMessage, h, loading,
  showErrors, uid,
} from '../dom.js';
import {
  askBeforeActing, drawPager, joinNames, notice, requestId, withFieldNames,
} from './parts.js';

const BASE = '/v1/clients/me/journalEntries';

const MOODS = [
  ['MOOD_VERY_LOW', 'Very low'],
  ['MOOD_LOW', 'Low'],
  ['MOOD_OKAY', 'Okay'],
  ['MOOD_GOOD', 'Good'],
  ['MOOD_VERY_GOOD', 'Very good'],
];

function moodLabel(mood) {
  const found = MOODS.find(([value]) => value === mood);
  return found ? found[1] : '';
}

function parseTags(text) {
  const seen = new Set();
  const tags = [];
  for (const raw of String(text || '').split(',')) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  return tags;
}

// Mood as a set of radio buttons in a fieldset ("Rather not say" clears it).
function moodFieldset(current) {
  const name = uid('mood');
  const options = [['MOOD_UNSPECIFIED', 'Rather not say'], ...MOODS].map(([value, label]) => {
    const id = uid('mood-option');
    return h('div', { class: 'choice' },
             h('input', { type: 'radio', id, name, value,
                          checked: (current || 'MOOD_UNSPECIFIED') === value }),
             h('label', { for: id }, label));
  });
  return h('fieldset', { class: 'choices choices-inline', 'data-field': 'mood' },
           h('legend', null, 'How are you feeling? (optional)'), options);
}

function chosenMood(form) {
  const checked = form.querySelector('[data-field="mood"] input:checked');
  return checked ? checked.value : 'MOOD_UNSPECIFIED';
}

const FIELD_NAMES = { text: 'Your entry', tags: 'Tags', mood: 'Mood', writeTime: 'Date' };
const withLabels = (err) => withFieldNames(err, FIELD_NAMES);

// A checkbox, its label beside it and its explanation underneath.
function checkboxRow(input, labelText, hintText) {
  const id = uid('share');
  input.id = id;
  input.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'choice toggle' }, input, h('label', { for: id }, labelText),
           h('p', { class: 'hint', id: `${id}-hint` }, hintText));
}

function entryFields(entry) {
  const text = h('textarea', { name: 'text', rows: '6', maxlength: '20000', required: true });
  text.value = entry ? entry.text || '' : '';
  const tags = h('input', { type: 'text', name: 'tags', autocomplete: 'off' });
  tags.value = entry ? (entry.tags || []).join(', ') : '';
  return {
    text,
    tags,
    nodes: [
      field('What would you like to write?', text,
            'Anything at all: how today went, a small win, something to ask about.'),
      moodFieldset(entry && entry.mood),
      field('Tags (optional)', tags, 'Words to help you find this later, separated by commas.'),
    ],
  };
}

// Before sending the new-entry or edit form: an empty entry gets a message by its field and
// nothing is sent (returns null); otherwise returns the submit button, disabled so a second
// press cannot send it twice while the first is on its way.
function startSaving(form, fields) {
  clearErrors(form);
  if (!fields.text.value.trim()) {
    showErrors(form, { message: 'Please check this:', fieldViolations: [
      { field: 'text', description: 'Please write a few words before saving.' }] });
    return null;
  }
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  return submit;
}

export async function render(main, ctx) {
  ctx.setHeading('My journal');

  const state = { entries: [], nextPageToken: '', team: [], partners: [] };
  const status = h('div', { class: 'screen-status' });
  const list = h('div', { class: 'journal-list' });
  const more = h('div', { class: 'journal-more' });

  // Who is who, in words, for the sharing explanations.
  const teamNames = () => joinNames(state.team.map((m) => m.displayName));
  const livePartners = () => state.partners.filter((p) => !p.revokeTime);
  const partnerNames = () => joinNames(livePartners().map((p) => p.partnerDisplayName));
  const partnersWithJournal = () =>
    livePartners().filter((p) => (p.shares || []).includes('PARTNER_SHARE_JOURNAL'));

  function whoCanSee(entry) {
    const who = [];
    if (entry.sharedWithCareTeam) {
      if (state.team.length) who.push(...state.team.map((m) => m.displayName));
      else who.push('the clinicians in your care team');
    }
    if (entry.sharedWithPartner) {
      who.push(...partnersWithJournal().map((p) => p.partnerDisplayName));
    }
    if (!who.length) return 'Private: only you can read this entry.';
    return `Shared: ${joinNames(who)} can read this entry, as well as you.`;
  }

  function partnerNote(entry) {
    if (entry.sharedWithPartner && livePartners().length && !partnersWithJournal().length) {
      return `Marked for ${partnerNames()}, who will only see it once you share your journal ` +
             'on the Partner sharing page.';
    }
    return '';
  }

  function teamShareHint() {
    return state.team.length
      ? `Off: only you can read it. On: ${teamNames()} can read it too. You can change this ` +
        'at any time.'
      : 'Off: only you can read it. On: the clinicians in your care team can read it too.';
  }

  function partnerShareHint() {
    if (partnersWithJournal().length) {
      return `On: ${joinNames(partnersWithJournal().map((p) => p.partnerDisplayName))} can ` +
             'read it too.';
    }
    return `${partnerNames()} will only see it while you also share your journal with them ` +
           '(Partner sharing page).';
  }

  async function update(entry, mask, changes) {
    const body = { ...changes, etag: entry.etag };
    const updated = await api('PATCH', `${BASE}/${encodeURIComponent(entry.id)}?updateMask=${mask}`,
                              body);
    const i = state.entries.findIndex((e) => e.id === entry.id);
    if (i >= 0) state.entries[i] = updated;
    return updated;
  }

  function friendlyConflict(err) {
    if (err && (err.code === 'ABORTED' || err.status === 409)) {
      err.message = 'This entry was changed somewhere else (another tab or device). ' +
                    'Please reload the page and try again.';
    }
    return err;
  }

  function shareToggle(entry, kind, labelText, hintText, article) {
    const key = kind === 'team' ? 'sharedWithCareTeam' : 'sharedWithPartner';
    const input = h('input', { type: 'checkbox', name: key, checked: !!entry[key] });
    input.addEventListener('change', async () => {
      const wanted = input.checked;
      input.disabled = true;
      try {
        const updated = await update(entry, key, { [key]: wanted });
        const fresh = entryView(updated);
        article.replaceWith(fresh);
        // Keyboard and screen-reader users stay on the toggle they just used.
        fresh.querySelector(`input[name="${key}"]`).focus();
        announce(whoCanSee(updated));
      } catch (err) {
        input.checked = !wanted;
        input.disabled = false;
        if (await showLatestAfterConflict(err, entry, article, `input[name="${key}"]`)) return;
        article.querySelector('.entry-error')
          .replaceChildren(notice(friendlyMessage(err), 'error'));
      }
    });
    return checkboxRow(input, labelText, hintText);
  }

  // A stale etag (changed in another tab or device): show the latest version and say so.
  // Returns false when `err` is not a conflict or the entry cannot be read again.
  async function showLatestAfterConflict(err, entry, article, focusSelector) {
    if (!err || !(err.code === 'ABORTED' || err.status === 409)) return false;
    let latest;
    try {
      latest = await api('GET', `${BASE}/${encodeURIComponent(entry.id)}`);
    } catch {
      err.message = 'This entry was changed somewhere else. Please reload the page.';
      return false;
    }
    const i = state.entries.findIndex((e) => e.id === entry.id);
    if (i >= 0) state.entries[i] = latest;
    const fresh = entryView(latest);
    article.replaceWith(fresh);
    fresh.querySelector('.entry-error').replaceChildren(notice(
      'This entry was changed in another tab or on another device, so here is the latest ' +
      'version. Please try again.', 'error'));
    const target = fresh.querySelector(focusSelector) || fresh.querySelector('button');
    if (target) target.focus();
    return true;
  }

  function entryView(entry) {
    const headingId = uid('entry');
    const article = h('article', { class: 'card journal-entry', 'aria-labelledby': headingId });
    const when = formatDateTime(entry.writeTime || entry.createTime);
    const edited = entry.updateTime && entry.createTime && entry.updateTime !== entry.createTime;
    const shared = entry.sharedWithCareTeam || (entry.sharedWithPartner &&
                                                partnersWithJournal().length);
    // Which entry a button acts on, for screen-reader users listing the page's buttons.
    const which = h('span', { class: 'visually-hidden' }, ` the entry from ${when || 'this day'}`);
    const editButton = h('button', { type: 'button', class: 'button secondary' }, 'Edit', which);
    const deleteButton = h('button', { type: 'button', class: 'button secondary' }, 'Delete',
                           which.cloneNode(true));
    const actions = h('div', { class: 'form-actions' }, editButton, deleteButton);
    editButton.addEventListener('click', () => showEditor(article, entry));
    askBeforeActing(deleteButton, article, actions, () => ({
      question: 'Delete this entry for good?',
      detail: 'Once deleted it cannot be brought back, and nobody can read it any more.',
      yesLabel: 'Yes, delete it',
      noLabel: 'No, keep it',
      onYes: async () => {
        try {
          await api('DELETE', `${BASE}/${encodeURIComponent(entry.id)}` +
                              `?etag=${encodeURIComponent(entry.etag)}`);
          state.entries = state.entries.filter((e) => e.id !== entry.id);
          article.remove();
          if (!state.entries.length) drawList();
          status.replaceChildren(notice('The entry is deleted.'));
          announce('The entry is deleted.');
          composeButton.focus();
        } catch (err) {
          if (await showLatestAfterConflict(err, entry, article, 'button:nth-of-type(2)')) {
            return;
          }
          article.querySelector('.entry-error')
            .replaceChildren(notice(friendlyMessage(err), 'error'));
        }
      },
    }));

    const sharing = h('div', { class: 'entry-sharing' },
                      h('p', { class: `visibility ${shared ? 'is-shared' : 'is-private'}` },
                        whoCanSee(entry)),
                      shareToggle(entry, 'team', 'Share with my care team', teamShareHint(),
                                  article));
    if (livePartners().length) {
      sharing.appendChild(shareToggle(entry, 'partner', `Share with ${partnerNames()}`,
                                      partnerShareHint(), article));
    }
    const note = partnerNote(entry);
    if (note) sharing.appendChild(h('p', { class: 'hint' }, note));

    article.append(...[
      h('h3', { id: headingId, class: 'entry-date' }, when || 'Entry'),
      entry.mood && entry.mood !== 'MOOD_UNSPECIFIED'
        ? h('p', { class: 'entry-mood' }, `Feeling: ${moodLabel(entry.mood)}`) : null,
      h('p', { class: 'entry-text' }, entry.text),
      entry.tags && entry.tags.length
        ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, entry.tags.map((t) => h('li', null, t)))
        : null,
      edited ? h('p', { class: 'hint' }, `Edited ${formatDateTime(entry.updateTime)}`) : null,
      sharing,
      h('div', { class: 'entry-error' }),
      actions,
    ].filter(Boolean));
    return article;
  }

  function showEditor(article, entry) {
    const fields = entryFields(entry);
    const form = h('form', { class: 'card journal-edit', novalidate: true,
                             'aria-label': `Edit entry from ${formatDate(entry.writeTime)}` });
    const cancel = h('button', { type: 'button', class: 'button secondary' }, 'Cancel');
    form.append(h('h3', null, 'Edit entry'), ...fields.nodes,
                h('div', { class: 'form-actions' },
                  h('button', { type: 'submit', class: 'button' }, 'Save changes'), cancel));
    cancel.addEventListener('click', () => {
      const back = entryView(entry);
      form.replaceWith(back);
      back.querySelector('button').focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const submit = startSaving(form, fields);
      if (!submit) return;
      try {
        const updated = await update(entry, 'text,mood,tags', {
          text: fields.text.value,
          mood: chosenMood(form),
          tags: parseTags(fields.tags.value),
        });
        const view = entryView(updated);
        form.replaceWith(view);
        view.querySelector('h3').setAttribute('tabindex', '-1');
        view.querySelector('h3').focus();
        announce('Your changes are saved.');
      } catch (err) {
        submit.disabled = false;
        showErrors(form, withLabels(friendlyConflict(err)));
      }
    });
    article.replaceWith(form);
    fields.text.focus();
  }

  // The "write an entry" form, closed behind a button so the list stays easy to reach.
  const composeButton = h('button', { type: 'button', class: 'button', 'aria-expanded': 'false' },
                          'Write a new entry');
  const composeSlot = h('div', { class: 'journal-compose' });

  function showComposer() {
    const fields = entryFields(null);
    const team = h('input', { type: 'checkbox', name: 'sharedWithCareTeam' });
    const teamRow = checkboxRow(team, 'Share this entry with my care team', teamShareHint());
    const partner = h('input', { type: 'checkbox', name: 'sharedWithPartner' });
    const partnerRow = livePartners().length
      ? checkboxRow(partner, `Share this entry with ${partnerNames()}`, partnerShareHint())
      : null;
    const cancel = h('button', { type: 'button', class: 'button secondary' }, 'Cancel');
    const form = h('form', { class: 'card journal-new', novalidate: true,
                             'aria-labelledby': 'journal-new-title' },
                   h('h2', { id: 'journal-new-title' }, 'New entry'),
                   ...fields.nodes,
                   h('fieldset', { class: 'sharing-choice' },
                     h('legend', null, 'Who can read it'),
                     h('p', { class: 'hint' }, 'Your entries are private unless you choose ' +
                       'otherwise.'),
                     teamRow, partnerRow),
                   h('div', { class: 'form-actions' },
                     h('button', { type: 'submit', class: 'button' }, 'Save entry'), cancel));
    const close = () => {
      composeSlot.replaceChildren();
      composeButton.hidden = false;
      composeButton.setAttribute('aria-expanded', 'false');
      composeButton.focus();
    };
    cancel.addEventListener('click', close);
    const rid = requestId();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const submit = startSaving(form, fields);
      if (!submit) return;
      const entry = {
        text: fields.text.value,
        mood: chosenMood(form),
        tags: parseTags(fields.tags.value),
        sharedWithCareTeam: team.checked,
        sharedWithPartner: partnerRow ? partner.checked : false,
      };
      try {
        const created = await api('POST', `${BASE}?requestId=${encodeURIComponent(rid)}`, entry);
        state.entries.unshift(created);
        composeSlot.replaceChildren();
        composeButton.hidden = false;
        composeButton.setAttribute('aria-expanded', 'false');
        drawList();
        const message = created.sharedWithCareTeam || created.sharedWithPartner
          ? `Saved. ${whoCanSee(created)}` : 'Saved. This entry is private: only you can read it.';
        status.replaceChildren(notice(message));
        announce(message);
        composeButton.focus();
      } catch (err) {
        submit.disabled = false;
        showErrors(form, withLabels(err));
      }
    });
    composeButton.hidden = true;
    composeButton.setAttribute('aria-expanded', 'true');
    composeSlot.replaceChildren(form);
    status.replaceChildren();
    fields.text.focus();
  }
  composeButton.addEventListener('click', showComposer);

  function drawList() {
    list.replaceChildren();
    if (!state.entries.length) {
      list.appendChild(h('p', { class: 'empty' },
                         'Nothing here yet. Whenever you feel like it, write a few words: ' +
                         'it is just for you unless you choose to share.'));
    } else {
      for (const entry of state.entries) list.appendChild(entryView(entry));
    }
    drawMore();
  }

  function drawMore() {
    drawPager(more, state, {
      label: 'Show older entries',
      fetchPage: (pageToken) => api('GET', `${BASE}?pageToken=${encodeURIComponent(pageToken)}`),
      addPage: (page) => {
        state.entries.push(...(page.entries || []));
        const views = (page.entries || []).map(entryView);
        list.append(...views);
        return views.length ? views[0].querySelector('h3') : null;
      },
    });
  }

  main.append(
    h('p', { class: 'lead' },
      'A private place for your thoughts, feelings and small wins. Only you can read an entry ' +
      'unless you choose to share it.'),
    status, composeButton, composeSlot,
    h('section', { 'aria-labelledby': 'journal-list-title' },
      h('h2', { id: 'journal-list-title' }, 'Your entries'), list, more),
  );

  async function load() {
    list.replaceChildren(loading('Opening your journal…'));
    try {
      const [page, team, partners] = await Promise.all([
        api('GET', BASE),
        api('GET', '/v1/clients/me/careTeam').catch(() => ({})),
        api('GET', '/v1/clients/me/partners').catch(() => ({})),
      ]);
      state.entries = page.entries || [];
      state.nextPageToken = page.nextPageToken || '';
      const members = team.members || [];
      const clinicians = members.filter((m) => m.discipline &&
                                               m.discipline !== 'DISCIPLINE_UNSPECIFIED');
      state.team = clinicians.length ? clinicians : members;
      state.partners = partners.partners || [];
      drawList();
    } catch (err) {
      list.replaceChildren(errorBox(err, load));
    }
  }
  await load();
}
