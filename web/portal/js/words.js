// Plain, warm words for the API's enums and numbers, shared by the screens.

const WEEKDAYS = {
  WEEKDAY_MONDAY: 'Monday', WEEKDAY_TUESDAY: 'Tuesday', WEEKDAY_WEDNESDAY: 'Wednesday',
  WEEKDAY_THURSDAY: 'Thursday', WEEKDAY_FRIDAY: 'Friday', WEEKDAY_SATURDAY: 'Saturday',
  WEEKDAY_SUNDAY: 'Sunday',
};

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function listWords(words) {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function timesWord(n) {
  if (n === 1) return 'Once';
  if (n === 2) return 'Twice';
  return `${n} times`;
}

export function isDilator(categoryOrItem) {
  if (!categoryOrItem) return false;
  if (typeof categoryOrItem === 'string') return categoryOrItem === 'EXERCISE_CATEGORY_DILATOR';
  return !!categoryOrItem.dilator ||
    (categoryOrItem.exercise && categoryOrItem.exercise.category === 'EXERCISE_CATEGORY_DILATOR') ||
    categoryOrItem.category === 'EXERCISE_CATEGORY_DILATOR';
}

// "Once a day", "3 times a week", "On Mondays, Wednesdays and Fridays".
export function scheduleWords(schedule) {
  if (!schedule || !schedule.timesPerPeriod) return '';
  const n = schedule.timesPerPeriod;
  if (schedule.period === 'SCHEDULE_PERIOD_WEEK') return `${timesWord(n)} a week`;
  const days = (schedule.daysOfWeek || []).map((d) => WEEKDAYS[d]).filter(Boolean);
  if (days.length && days.length < 7) {
    const on = listWords(days.map((d) => `${d}s`));
    return n === 1 ? `On ${on}` : `${timesWord(n)} a day on ${on}`;
  }
  return `${timesWord(n)} a day`;
}

// "2 sets of 10, hold 5 seconds, rest 5 seconds" / "10 minutes".
export function doseWords(dose) {
  if (!dose) return '';
  const parts = [];
  if (dose.sets && dose.reps) parts.push(`${plural(dose.sets, 'set', 'sets')} of ${dose.reps}`);
  else if (dose.sets) parts.push(plural(dose.sets, 'set', 'sets'));
  else if (dose.reps) parts.push(plural(dose.reps, 'time', 'times'));
  if (dose.holdSeconds) parts.push(`hold ${plural(dose.holdSeconds, 'second', 'seconds')}`);
  if (dose.restSeconds) parts.push(`rest ${plural(dose.restSeconds, 'second', 'seconds')}`);
  if (dose.durationMinutes) parts.push(plural(dose.durationMinutes, 'minute', 'minutes'));
  return parts.join(', ');
}

export function minutesWords(n) {
  return plural(n, 'minute', 'minutes');
}

// "Size 2 (18 mm)" when the diameter is known.
export function sizeWords(size, sizes) {
  if (!size) return '';
  const found = (sizes || []).find((s) => s.size === size);
  return found && found.diameterMm ? `Size ${size} (${found.diameterMm} mm)` : `Size ${size}`;
}

export const GOAL_STATUS = {
  GOAL_STATUS_NOT_STARTED: 'Not started yet',
  GOAL_STATUS_IN_PROGRESS: 'Working on it',
  GOAL_STATUS_ACHIEVED: 'Reached',
  GOAL_STATUS_DISCONTINUED: 'Set aside for now',
};

export const PROGRAMME_STATUS = {
  PROGRAMME_STATUS_ACTIVE: 'Current',
  PROGRAMME_STATUS_PAUSED: 'On a break',
  PROGRAMME_STATUS_ENDED: 'Finished',
};

export const DISCIPLINES = {
  PLAN_DISCIPLINE_SEX_THERAPY: 'sex therapy',
  PLAN_DISCIPLINE_PELVIC_FLOOR_PHYSIOTHERAPY: 'pelvic-floor physiotherapy',
  PLAN_DISCIPLINE_PSYCHOLOGY: 'psychology',
  PLAN_DISCIPLINE_GYNAECOLOGY: 'gynaecology',
  PLAN_DISCIPLINE_OTHER: 'other support',
};

export const INTERVENTIONS = {
  INTERVENTION_KIND_EDUCATION_AND_READING: 'Learning and reading',
  INTERVENTION_KIND_PELVIC_FLOOR_DOWN_TRAINING: 'Relaxing the pelvic floor',
  INTERVENTION_KIND_KEGELS: 'Pelvic-floor exercises',
  INTERVENTION_KIND_YOGA_AND_STRETCHING: 'Yoga and stretching',
  INTERVENTION_KIND_GRADED_DILATOR_EXPOSURE: 'Dilator practice, step by step',
  INTERVENTION_KIND_SELF_EXPLORATION: 'Getting to know your body',
  INTERVENTION_KIND_SENSATE_FOCUS: 'Sensate focus',
  INTERVENTION_KIND_PARTNER_COMMUNICATION: 'Talking together',
  INTERVENTION_KIND_MINDFULNESS_AND_BREATHING: 'Mindfulness and breathing',
  INTERVENTION_KIND_JOURNALING: 'Journaling',
  INTERVENTION_KIND_REFERRAL_SEX_THERAPIST: 'Seeing a sex therapist',
  INTERVENTION_KIND_REFERRAL_PELVIC_PHYSIOTHERAPIST: 'Seeing a pelvic-floor physiotherapist',
  INTERVENTION_KIND_SUPPORT_GROUP: 'A support group',
};

export function listOf(words) {
  return listWords(words);
}

// Splits long text into paragraphs (blank lines) for text-node rendering.
export function paragraphs(text) {
  return String(text || '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}

// A random id for request_id (a retry with the same id is not logged twice).
export function requestId() {
  if (crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// What stands for a programme item in an address (#/log/<programmeId>/<key>). Item ids are
// chosen by clinicians and may be words ("dilator", "kegels") that must not show in the address
// bar or history, so the address carries a short neutral hash of the id instead (FNV-1a,
// 8 hex digits); log.js finds the item by comparing keys.
export function itemKey(itemId) {
  let hash = 0x811c9dc5;
  for (const ch of String(itemId || '')) {
    hash ^= ch.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `i${hash.toString(16).padStart(8, '0')}`;
}

// The address of the log form for one item.
export function logHref(programmeId, itemId) {
  return `#/log/${encodeURIComponent(programmeId)}/${itemKey(itemId)}`;
}
