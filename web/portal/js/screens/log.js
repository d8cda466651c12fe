// Log practice (#/log, or #/log/<programmeId>/<itemKey> from "Log it", itemKey from words.js):
// how much, how long, the size used, pain and anxiety 0-10, how it felt. A request id made when
// the form opens is sent with every try, so a retry after a lost answer is not logged twice.
import { api } from '../api.js';
import { h, field, showErrors, clearErrors, loading, errorBox, formatDateTime, announce, uid } from '../dom.js';
import { isDilator, sizeWords, paragraphs, requestId, itemKey, logHref } from '../words.js';

function pad(n) {
  return String(n).padStart(2, '0');
}

// Value for <input type="datetime-local"> in local time.
function localInputValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${
    pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// A 0-10 slider that starts unanswered: a slider always sits somewhere, and a log she never
// touched must not be recorded as "no pain". Any pointer or key on it (even choosing 0 where it
// sits) counts as an answer.
function slider(name, label, hint, lowWord, highWord) {
  const input = h('input', { type: 'range', name, min: '0', max: '10', step: '1', value: '0' });
  const output = h('output', { class: 'slider-value', 'aria-hidden': 'true' }, '–');
  let answered = false;
  const sync = () => {
    output.textContent = answered ? input.value : '–';
    input.setAttribute('aria-valuetext',
                       answered ? `${input.value} out of 10` : 'not chosen yet');
  };
  const answer = () => {
    answered = true;
    sync();
  };
  input.addEventListener('input', answer);
  input.addEventListener('pointerdown', answer);
  input.addEventListener('keydown', answer);
  sync();
  const row = field(label, input, hint);
  // Put the visible value beside the slider, and the end words under it.
  row.removeChild(input);
  row.appendChild(h('div', { class: 'slider-row' }, input, output));
  row.appendChild(h('div', { class: 'slider-ends', 'aria-hidden': 'true' },
                    h('span', null, `0 ${lowWord}`), h('span', null, `10 ${highWord}`)));
  return { row, input, answered: () => answered };
}

function option(value, text, selected) {
  return h('option', { value, selected: !!selected }, text);
}

function itemTitle(item) {
  return (item.exercise && item.exercise.title) || 'Practice';
}

function confirmation(main, ctx, log, item, programme) {
  const parts = [];
  if (log.completion === 'PRACTICE_COMPLETION_SKIPPED') {
    parts.push('Noted that you gave it a miss this time. Rest is allowed — thank you for ' +
               'letting us know.');
  } else {
    parts.push('Thank you — it is saved. Every session counts, whatever it felt like.');
  }
  const facts = [];
  if (log.practicedAt) facts.push(formatDateTime(log.practicedAt));
  if (log.durationMinutes) facts.push(`${log.durationMinutes} min`);
  if (log.dilatorSize) facts.push(`size ${log.dilatorSize}`);
  if (log.pain !== undefined) facts.push(`pain ${log.pain}/10`);
  if (log.anxiety !== undefined) facts.push(`anxiety ${log.anxiety}/10`);
  const box = h('div', { class: 'celebrate', role: 'status' },
                h('h2', { tabindex: '-1', id: 'log-saved' }, 'Logged. Well done.'),
                parts.map((p) => h('p', null, p)),
                h('p', { class: 'muted small' }, `${itemTitle(item)}: ${facts.join(', ')}`),
                h('div', { class: 'card-actions' },
                  h('a', { class: 'button', href: '#/today' }, 'Back to today'),
                  h('a', { class: 'button secondary', href: '#/progress' }, 'See my progress'),
                  h('a', {
                    class: 'button secondary',
                    href: logHref(programme.id, item.id),
                    onclick: (e) => {
                      e.preventDefault();
                      ctx.navigate(logHref(programme.id, item.id));
                    },
                  }, 'Log another')));
  main.appendChild(box);
  box.querySelector('h2').focus();
  announce('Your practice is logged. Well done.');
}

export async function render(main, ctx) {
  ctx.setHeading('Log practice');
  const status = loading('Getting your programme…');
  main.appendChild(status);
  let programmes;
  try {
    programmes = ((await api('GET', '/v1/clients/me/programmes')).programmes || [])
      .filter((p) => p.status === 'PROGRAMME_STATUS_ACTIVE');
  } catch (err) {
    status.remove();
    main.appendChild(errorBox(err, () => ctx.navigate(location.hash)));
    return;
  }
  status.remove();

  const choices = [];
  for (const p of programmes) for (const item of p.items || []) choices.push({ programme: p, item });
  if (!choices.length) {
    main.appendChild(h('div', { class: 'notice' },
                       h('p', null, 'There is nothing to log just now: you have no current home ' +
                                    'programme. Your care team will set one up with you.')));
    return;
  }
  const [wantProgramme, wantItem] = ctx.params;
  // The address names the item by its neutral key (words.js itemKey); a plain item id (an older
  // link) is still understood.
  let chosen = choices.find((c) => c.programme.id === wantProgramme &&
                                   (itemKey(c.item.id) === wantItem || c.item.id === wantItem)) ||
               choices[0];

  main.appendChild(h('p', { class: 'lead' },
                     'A few quick taps. There are no right or wrong answers — this helps you and ' +
                     'your care team see how things are going.'));

  const rid = { value: requestId() };
  const form = h('form', { novalidate: true, 'aria-label': 'Log practice' });

  const practice = h('select', { name: 'itemId' },
                     choices.map((c, i) => option(String(i), programmes.length > 1
                       ? `${itemTitle(c.item)} (${c.programme.title})` : itemTitle(c.item),
                                                  c === chosen)));
  form.appendChild(field('What did you practise?', practice));

  const completionName = uid('completion');
  const completionOptions = [
    ['PRACTICE_COMPLETION_FULLY', 'All of it'],
    ['PRACTICE_COMPLETION_PARTLY', 'Some of it'],
    ['PRACTICE_COMPLETION_SKIPPED', 'I gave it a miss this time'],
  ];
  const completionInputs = completionOptions.map(([value], i) => h('input', {
    type: 'radio', name: 'completion', id: `${completionName}-${i}`, value, checked: i === 0,
  }));
  const completionError = h('p', { class: 'field-error', id: `${completionName}-0-error`, hidden: true });
  form.appendChild(h('fieldset', { class: 'field' },
                     h('legend', null, 'How much did you do?'),
                     completionError,
                     h('div', { class: 'choices-inline' }, completionOptions.map(([, text], i) =>
                       h('div', { class: 'choice' }, completionInputs[i],
                         h('label', { for: completionInputs[i].id }, text))))));

  const when = h('input', { type: 'datetime-local', name: 'practicedAt',
                            value: localInputValue(new Date()), max: localInputValue(new Date(Date.now() + 600000)) });
  form.appendChild(field('When did you practise?', when, 'Now is filled in. Change it if it was earlier.'));

  const duration = h('input', { type: 'number', name: 'durationMinutes', min: '1', max: '240',
                                inputmode: 'numeric', class: 'short' });
  const durationRow = field('How many minutes?', duration);
  form.appendChild(durationRow);

  const size = h('select', { name: 'dilatorSize' });
  const sizeRow = field('Which size did you use?', size, 'Your current size is chosen for you.');
  form.appendChild(sizeRow);

  const pain = slider('pain', 'How much pain or discomfort was there?',
                      'Move the slider: 0 means none at all, 10 the most you can imagine.',
                      'none', 'the most');
  const anxiety = slider('anxiety', 'How anxious or tense did you feel?',
                         'Move the slider: 0 means calm, 10 very anxious.', 'calm', 'very anxious');
  form.appendChild(pain.row);
  form.appendChild(anxiety.row);

  const feelings = h('textarea', { name: 'feelings', rows: '4', maxlength: '2000' });
  form.appendChild(field('How did it feel? (optional)', feelings,
                         'In your own words. Only you and your care team can read this.'));

  const submit = h('button', { type: 'submit', class: 'button' }, 'Save');
  form.appendChild(h('div', { class: 'form-actions' }, submit,
                     h('a', { href: '#/today' }, 'Cancel')));

  const instructions = h('details', { class: 'how-to' });

  function applyChoice() {
    const item = chosen.item;
    const dil = isDilator(item) ? item.dilator : null;
    clear(size);
    if (dil) {
      const sizes = (dil.set && dil.set.sizes) || [];
      for (const s of sizes) {
        size.appendChild(option(String(s.size), sizeWords(s.size, sizes) +
                                (s.size === dil.currentSize ? ', current' : ''),
                                s.size === dil.currentSize));
      }
      duration.value = String(dil.minutesPerSession || 10);
    } else {
      duration.value = String((item.dose && item.dose.durationMinutes) || 10);
    }
    sizeRow.hidden = !dil;
    const ex = item.exercise || {};
    while (instructions.firstChild) instructions.removeChild(instructions.firstChild);
    instructions.appendChild(h('summary', null, 'Remind me how'));
    for (const p of paragraphs(item.instructions)) instructions.appendChild(h('p', { class: 'prose' }, p));
    for (const p of paragraphs(ex.patientInstructions)) instructions.appendChild(h('p', { class: 'prose' }, p));
    instructions.hidden = !(item.instructions || ex.patientInstructions);
    applyCompletion();
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function completion() {
    const checked = completionInputs.find((i) => i.checked);
    return checked ? checked.value : 'PRACTICE_COMPLETION_FULLY';
  }

  function applyCompletion() {
    const skipped = completion() === 'PRACTICE_COMPLETION_SKIPPED';
    durationRow.hidden = skipped;
    pain.row.hidden = skipped;
    anxiety.row.hidden = skipped;
    sizeRow.hidden = skipped || !isDilator(chosen.item);
  }

  practice.addEventListener('change', () => {
    chosen = choices[Number(practice.value)];
    rid.value = requestId();
    applyChoice();
  });
  for (const input of completionInputs) input.addEventListener('change', applyCompletion);
  // Choosing another practice makes it a different log, so it gets a new request id; any other
  // change keeps the id (a retry after a lost answer is the same log). After a save the form
  // is replaced, and "Log another" opens a fresh one.

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const skipped = completion() === 'PRACTICE_COMPLETION_SKIPPED';
    const practicedAt = when.value ? new Date(when.value) : new Date();
    const violations = [];
    if (Number.isNaN(practicedAt.getTime())) {
      violations.push({ field: 'practicedAt', description: 'Enter when you practised.' });
    }
    const minutes = Number(duration.value);
    if (!skipped && (!Number.isInteger(minutes) || minutes < 1 || minutes > 240)) {
      violations.push({ field: 'durationMinutes', description: 'Enter the minutes as a whole number from 1 to 240.' });
    }
    for (const [name, rating] of [['pain', pain], ['anxiety', anxiety]]) {
      if (!skipped && !rating.answered()) {
        violations.push({ field: name,
                          description: 'Move the slider to choose a number (0 is fine).' });
      }
    }
    if (violations.length) {
      showErrors(form, { message: 'Please check this.', fieldViolations: violations });
      return;
    }
    const log = {
      programmeId: chosen.programme.id,
      programmeVersion: chosen.programme.version,
      itemId: chosen.item.id,
      practicedAt: practicedAt.toISOString(),
      completion: completion(),
      durationMinutes: skipped ? 0 : minutes,
    };
    if (!skipped) {
      log.pain = Number(pain.input.value);
      log.anxiety = Number(anxiety.input.value);
      if (isDilator(chosen.item) && size.value) log.dilatorSize = Number(size.value);
    }
    if (feelings.value.trim()) log.feelings = feelings.value.trim();
    submit.disabled = true;
    submit.textContent = 'Saving…';
    try {
      const saved = await api('POST',
                              `/v1/clients/me/practiceLogs?requestId=${encodeURIComponent(rid.value)}`,
                              log);
      form.remove();
      instructions.remove();
      confirmation(main, ctx, { ...log, ...saved }, chosen.item, chosen.programme);
    } catch (err) {
      showErrors(form, err.status === 0
        ? { message: 'We could not save it just now. Please check your connection and press Save ' +
                     'again — it will not be saved twice.', fieldViolations: [] }
        : err);
      submit.disabled = false;
      submit.textContent = 'Save';
    }
  });

  main.appendChild(instructions);
  main.appendChild(form);
  applyChoice();
}
