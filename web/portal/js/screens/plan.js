// My plan (#/plan): each plan's version shared with her, in patient wording only.
import { api } from '../api.js';
import { h, formatDate, loading, errorBox } from '../dom.js';
import { GOAL_STATUS, DISCIPLINES, INTERVENTIONS, listOf, paragraphs } from '../words.js';

function goalItem(goal) {
  const achieved = goal.status === 'GOAL_STATUS_ACHIEVED';
  const bits = [];
  if (achieved && goal.achievedDate) bits.push(`Reached on ${formatDate(goal.achievedDate)} — well done`);
  else if (goal.targetDate && goal.status !== 'GOAL_STATUS_DISCONTINUED') {
    bits.push(`Aiming for around ${formatDate(goal.targetDate)}`);
  }
  return h('li', { class: achieved ? 'card done' : 'card' },
           h('p', null, goal.patientWording || 'A goal we are working on together'),
           h('p', null, h('span', { class: achieved ? 'tag done' : 'tag' },
                          GOAL_STATUS[goal.status] || 'Working on it')),
           bits.length ? h('p', { class: 'muted small' }, bits.join(' · ')) : null);
}

function planSection(plan, index, count, forPartner) {
  const headingId = `plan-${index}`;
  const section = h('section', { 'aria-labelledby': headingId });
  section.appendChild(h('h2', { id: headingId }, count > 1 ? `Plan ${index + 1}` : forPartner ? 'The plan' : 'Your plan'));
  const meta = [];
  if (plan.version) meta.push(`Version ${plan.version}`);
  if (plan.shareTime) meta.push(`shared with you on ${formatDate(plan.shareTime)}`);
  if (plan.status === 'PLAN_STATUS_COMPLETED') meta.push('completed');
  if (meta.length && !forPartner) section.appendChild(h('p', { class: 'muted small' }, meta.join(', ')));
  for (const p of paragraphs(plan.patientSummary)) section.appendChild(h('p', { class: 'prose' }, p));

  if (plan.problems && plan.problems.length) {
    section.appendChild(h('h3', null, 'What we are working on'));
    section.appendChild(h('ul', null, plan.problems.map((p) => h('li', null, p))));
  }
  if (plan.goals && plan.goals.length) {
    const achieved = plan.goals.filter((g) => g.status === 'GOAL_STATUS_ACHIEVED').length;
    section.appendChild(h('h3', null, forPartner ? 'Goals' : 'Your goals'));
    if (achieved) {
      section.appendChild(h('p', null, `${achieved} of ${plan.goals.length} reached so far. ` +
                                       'That is worth celebrating.'));
    }
    section.appendChild(h('ul', { class: 'card-list', 'aria-label': forPartner ? 'Goals' : 'Your goals' },
                          plan.goals.map(goalItem)));
  }
  if (plan.interventions && plan.interventions.length) {
    section.appendChild(h('h3', null, 'How we will get there'));
    section.appendChild(h('ul', null, plan.interventions.map((i) => h('li', null,
      h('strong', null, INTERVENTIONS[i.kind] || 'Something we will try'),
      i.patientDescription ? ` — ${i.patientDescription}` : ''))));
  }
  const who = (plan.disciplines || []).map((d) => DISCIPLINES[d]).filter(Boolean);
  if (who.length) section.appendChild(h('p', null, `${forPartner ? 'The' : 'Your'} care team brings together ${listOf(who)}.`));
  if (plan.nextReviewDate) {
    section.appendChild(h('p', null, `We will look at this together again around ${
      formatDate(plan.nextReviewDate)}.`));
  }
  return section;
}

export async function render(main, ctx) {
  ctx.setHeading('My plan');
  const status = loading('Getting your plan…');
  main.appendChild(status);
  let answer;
  let partnerOf = null;
  try {
    if (ctx.user && ctx.user.role === 'ROLE_PARTNER') {
      partnerOf = ctx.partnerView || await api('GET', '/v1/clients/me/partnerView');
      // Ask for the plan only when it is shared: a refused request would show in her "Who
      // viewed my record" as an attempt by the partner.
      answer = (partnerOf.shares || []).includes('PARTNER_SHARE_PLAN_SUMMARY')
        ? await api('GET', `/v1/clients/${encodeURIComponent(partnerOf.clientId)}/sharedPlans`)
        : { plans: [] };
    } else {
      answer = await api('GET', '/v1/clients/me/sharedPlans');
    }
  } catch (err) {
    status.remove();
    main.appendChild(errorBox(err, () => ctx.navigate('#/plan')));
    return;
  }
  status.remove();
  const plans = answer.plans || [];
  if (partnerOf) {
    ctx.setHeading(`${partnerOf.displayName || 'Your partner'}’s plan`);
    if (!plans.length) {
      main.appendChild(h('div', { class: 'notice' },
                         h('p', null, 'There is no plan shared with you just now. That is ' +
                                      `${partnerOf.displayName || 'your partner'}’s choice, and ` +
                                      'it can change at any time.')));
      return;
    }
    main.appendChild(h('p', { class: 'lead' }, `What ${partnerOf.displayName || 'your partner'} ` +
                                               'chose to share with you, in plain words.'));
    plans.forEach((plan, i) => main.appendChild(planSection(plan, i, plans.length, true)));
    return;
  }
  if (!plans.length) {
    main.appendChild(h('div', { class: 'notice' },
                       h('p', null, 'Your care team has not shared a plan with you yet. When they ' +
                                    'do, you will find it here, in plain words.'),
                       h('p', null, h('a', { href: '#/programme' }, 'See my programme'))));
    return;
  }
  main.appendChild(h('p', { class: 'lead' },
                     'This is the plan you and your care team agreed, in your own words.'));
  plans.forEach((plan, i) => main.appendChild(planSection(plan, i, plans.length)));
}
