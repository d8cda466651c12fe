// Questionnaires (#/forms): fill in the self-report questionnaires, and see past results with
// their scores and how they changed, in plain words. Scores are always made by the server.

import { api } from '../api.js';
import {
  clearErrors, errorBox, formatDate, h, loading, showErrors, uid,
} from '../dom.js';
import { drawPager, requestId } from './parts.js';

const PAGE_SIZE = 20;

function num(decimal) {
  const n = Number(decimal);
  return Number.isFinite(n) ? n : null;
}

function points(n) {
  const abs = Math.abs(n);
  return `${abs} ${abs === 1 ? 'point' : 'points'}`;
}

// Which way is easier going for this questionnaire, judged from its data: a cut-off met "at or
// above" means lower scores are easier, "at or below" higher ones; without a cut-off, severity
// bands (which run from none upwards) mean lower is easier; with neither, it is left unsaid.
function lowerIsEasier(instrument) {
  const cut = instrument && (instrument.cutOffs || [])[0];
  if (!cut) return instrument && (instrument.bands || []).length ? true : null;
  return !!cut.atOrAbove;
}

export function changeInWords(change, instrument, isFirst) {
  if (change === undefined || change === null || change === '') {
    return isFirst ? 'This is your first result for this questionnaire.'
                   : 'There is no earlier score to compare this with.';
  }
  const n = num(change);
  if (n === null) return '';
  if (n === 0) return 'The same score as last time.';
  const direction = n < 0 ? `${points(n)} lower than last time.` : `${points(n)} higher than last time.`;
  const easier = lowerIsEasier(instrument);
  if (easier === null) return direction;
  const better = (n < 0) === easier;
  return `${direction} ${better ? 'For this questionnaire, that is a move in a good direction.'
                                : 'Your care team can talk this through with you.'}`;
}

function scoreInWords(score, instrument) {
  if (!score || !score.total) {
    return 'Not enough questions were answered to make a score. That is okay.';
  }
  const max = instrument && instrument.maxTotal ? ` out of ${instrument.maxTotal}` : '';
  const band = score.severity ? ` (${score.severity})` : '';
  const estimate = score.prorated
    ? ' Some questions were left out, so this score is an estimate.' : '';
  return `Score ${score.total}${max}${band}.${estimate}`;
}

function shortName(instrument, id) {
  return instrument ? instrument.name : id;
}

export async function render(main, ctx) {
  ctx.setHeading('Questionnaires');

  const state = { instruments: [], byId: new Map(), results: [], nextPageToken: '' };
  const status = h('div', { class: 'screen-status' });
  const available = h('div', { class: 'forms-available' });
  const formSlot = h('div', { class: 'forms-active' });
  const history = h('div', { class: 'forms-history' });
  const more = h('div');

  function flagNotices(score) {
    return (score && score.flags ? score.flags : []).map((f) =>
      h('div', { class: 'notice notice-care' }, h('p', null, f.message)));
  }

  // Whether no earlier result of the same questionnaire is known (results are newest first).
  function isFirst(a) {
    const i = state.results.findIndex((r) => r.id === a.id);
    return !state.nextPageToken &&
           !state.results.slice(i + 1).some((r) => r.instrumentId === a.instrumentId);
  }

  function resultView(a) {
    const instrument = state.byId.get(a.instrumentId);
    const headingId = uid('result');
    return h('article', { class: 'card result', 'aria-labelledby': headingId },
             h('h3', { id: headingId }, shortName(instrument, a.instrumentId)),
             h('p', { class: 'hint' }, `Filled in ${formatDate(a.completeTime)}`),
             h('p', { class: 'result-score' }, scoreInWords(a.score, instrument)),
             a.score && a.score.total
               ? h('p', { class: 'result-change' },
                   changeInWords(a.changeFromPrevious, instrument, isFirst(a)))
               : null,
             flagNotices(a.score));
  }

  function drawHistory() {
    history.replaceChildren();
    if (!state.results.length) {
      history.appendChild(h('p', { class: 'empty' },
                            'No results yet. When you fill in a questionnaire, your score ' +
                            'appears here so you can see how things change over time.'));
    }
    for (const a of state.results) history.appendChild(resultView(a));
    drawMore();
  }

  function drawMore() {
    drawPager(more, state, {
      label: 'Show older results',
      fetchPage: (pageToken) => api('GET', `/v1/clients/me/assessments?pageSize=${PAGE_SIZE}` +
                                           `&pageToken=${encodeURIComponent(pageToken)}`),
      // Pushed first: whether a result is the first of its kind depends on what is loaded.
      addPage: (page) => {
        state.results.push(...(page.assessments || []));
        const views = (page.assessments || []).map(resultView);
        history.append(...views);
        return views.length ? views[0].querySelector('h3') : null;
      },
    });
  }

  async function loadHistory() {
    const page = await api('GET', `/v1/clients/me/assessments?pageSize=${PAGE_SIZE}`);
    state.results = page.assessments || [];
    state.nextPageToken = page.nextPageToken || '';
    drawHistory();
  }

  function drawAvailable() {
    available.replaceChildren();
    const selfReport = state.instruments.filter((i) => i.selfReport);
    if (!selfReport.length) {
      available.appendChild(h('p', { class: 'empty' }, 'There is nothing to fill in right now.'));
      return;
    }
    const list = h('ul', { class: 'card-list' });
    for (const instrument of selfReport) {
      const count = (instrument.items || []).length;
      const last = state.results.find((a) => a.instrumentId === instrument.id);
      const start = h('button', { type: 'button', class: 'button',
                                  'aria-label': `Start: ${instrument.name}` }, 'Start');
      start.addEventListener('click', () => openForm(instrument.id, start));
      list.appendChild(h('li', { class: 'card' },
                         h('h3', null, instrument.name),
                         h('p', { class: 'hint' },
                           `${count} ${count === 1 ? 'question' : 'questions'}` +
                           (last ? ` · last filled in ${formatDate(last.completeTime)}` : '')),
                         start));
    }
    available.appendChild(list);
  }

  function closeForm(returnTo) {
    formSlot.replaceChildren();
    available.hidden = false;
    if (returnTo && returnTo.isConnected) returnTo.focus();
  }

  async function openForm(instrumentId, opener) {
    available.hidden = true;
    status.replaceChildren();
    formSlot.replaceChildren(loading('Opening the questionnaire…'));
    let instrument;
    try {
      instrument = await api('GET', `/v1/instruments/${encodeURIComponent(instrumentId)}`);
    } catch (err) {
      formSlot.replaceChildren(errorBox(err, () => openForm(instrumentId, opener)));
      return;
    }
    const titleId = uid('form-title');
    const form = h('form', { class: 'card questionnaire', novalidate: true,
                             'aria-labelledby': titleId });
    const groups = [];
    for (const item of instrument.items || []) {
      const name = `answer-${item.number}`;
      const legendId = uid('item');
      const options = (item.options || []).map((opt) => {
        const id = uid('option');
        return h('div', { class: 'choice' },
                 h('input', { type: 'radio', id, name, value: String(opt.value || 0),
                              'data-item': item.id }),
                 h('label', { for: id }, opt.label || String(opt.value || 0)));
      });
      const compact = (item.options || []).length > 6;
      const group = h('fieldset', { class: `question${compact ? ' choices-scale' : ''}`,
                                    'aria-labelledby': legendId },
                      h('legend', { id: legendId },
                        (instrument.items.length > 1 ? `${item.number}. ` : '') + item.text),
                      h('div', { class: 'choices' }, options));
      groups.push(group);
    }
    const cancel = h('button', { type: 'button', class: 'button secondary' }, 'Not now');
    cancel.addEventListener('click', () => closeForm(opener));
    form.append(...[
      h('h2', { id: titleId, tabindex: '-1' }, instrument.name),
      instrument.instructions ? h('p', { class: 'lead' }, instrument.instructions) : null,
      h('p', { class: 'hint' }, 'There are no right or wrong answers. You can leave out any ' +
                                'question you would rather not answer.'),
      ...groups,
      instrument.licenceNote
        ? h('details', { class: 'about' }, h('summary', null, 'About this questionnaire'),
            instrument.scoringRule ? h('p', null, instrument.scoringRule) : null,
            h('p', null, instrument.licenceNote))
        : null,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button' }, 'Send my answers'), cancel),
    ].filter(Boolean));
    const rid = requestId();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const answers = [...form.querySelectorAll('input[type="radio"]:checked')].map((input) => ({
        itemId: input.dataset.item, value: Number(input.value),
      }));
      if (!answers.length) {
        showErrors(form, { message: 'Please answer at least one question before sending.' });
        return;
      }
      const submit = form.querySelector('button[type="submit"]');
      submit.disabled = true;
      try {
        const result = await api('POST', '/v1/clients/me/assessments',
                                 { instrumentId: instrument.id, answers, requestId: rid });
        await loadHistory().catch(() => {});
        drawAvailable();
        const listed = state.results.find((a) => a.id === result.id) || result;
        formSlot.replaceChildren();
        available.hidden = false;
        const thanks = h('div', { class: 'notice notice-success', tabindex: '-1' },
                         h('p', { class: 'notice-title' }, 'Thank you, your answers are saved.'),
                         h('p', null, scoreInWords(listed.score, instrument)),
                         listed.score && listed.score.total
                           ? h('p', null, changeInWords(listed.changeFromPrevious, instrument,
                                                        isFirst(listed)))
                           : null,
                         flagNotices(listed.score));
        status.replaceChildren(thanks);
        thanks.focus();
      } catch (err) {
        submit.disabled = false;
        showErrors(form, err);
      }
    });
    formSlot.replaceChildren(form);
    form.querySelector('h2').focus();
  }

  main.append(
    h('p', { class: 'lead' },
      'Short questionnaires that help you and your care team see how things are changing. ' +
      'Fill one in whenever your care team asks, or whenever you like.'),
    status,
    h('section', { 'aria-labelledby': 'forms-available-title' },
      h('h2', { id: 'forms-available-title' }, 'To fill in'), available, formSlot),
    h('section', { 'aria-labelledby': 'forms-history-title' },
      h('h2', { id: 'forms-history-title' }, 'Your results'), history, more),
  );

  async function load() {
    available.replaceChildren(loading('Loading questionnaires…'));
    history.replaceChildren();
    try {
      const catalogue = await api('GET', '/v1/instruments');
      state.instruments = catalogue.instruments || [];
      state.byId = new Map(state.instruments.map((i) => [i.id, i]));
      await loadHistory();
      drawAvailable();
    } catch (err) {
      available.replaceChildren(errorBox(err, load));
    }
  }
  await load();
}
