// The App Home tab (pure: HomeData in, a home view out). Slack holds at most 100 blocks in a
// Home view; every list here is capped and ends with "and N more", so 200 lines and 50
// alerts draw the same bounded tab as 2.
import type { HomeView, ModalView } from '@slack/types';
import { type AlertRule, describeRule } from '../../domain/alerts.js';
import { formatMoney } from '../../domain/money.js';
import type { HomeData, HomeLine } from '../../services/home.js';
import { ALERT, HOME, SURVEY } from '../ids.js';
import { channelMention, escapeMrkdwn, slackDate, truncate } from '../mrkdwn.js';
import { formatVariance, STATUS_EMOJI } from './budget.js';
import { actions, type Block, button, context, divider, header, LIMITS, plain, section } from './common.js';
import { moveAskBlocks } from './reallocation.js';

/** Lines listed under "Your budget lines" (one section each holds them all). */
export const HOME_MAX_LINES = 15;
/** Alerts drawn with buttons: two blocks each. */
export const HOME_MAX_ALERTS = 10;
export const HOME_MAX_SURVEYS = 5;
/** Budget move requests drawn with Approve / Reject: three blocks each. */
export const HOME_MAX_MOVES = 5;
export const HOME_MAX_BLOCKS = 100;

const money = (v: bigint, currency: string) => formatMoney(v, currency);

/** The forecast, with a latest estimate beside it while one is set. */
function forecastText(forecast: bigint, estimate: bigint | null, currency: string): string {
  return estimate === null
    ? money(forecast, currency)
    : `${money(forecast, currency)} · LE ${money(estimate, currency)}`;
}

function lineText(l: HomeLine, currency: string): string {
  const variance = formatVariance(l.variancePct);
  return (
    `${STATUS_EMOJI[l.status]} *${escapeMrkdwn(truncate(l.category, 60))}* · ${escapeMrkdwn(l.period)} — ` +
    `${escapeMrkdwn(l.statusLabel)} · forecast ${forecastText(l.forecast, l.estimate, currency)} of ${money(l.planned, currency)}` +
    (variance ? ` (${variance})` : '') +
    ` · actual ${money(l.actual, currency)} · committed ${money(l.committed, currency)}`
  );
}

/** Lines of mrkdwn into as few sections as fit Slack's 3,000 characters each. */
function listSections(lines: string[]): Block[] {
  const out: Block[] = [];
  let current = '';
  for (const l of lines) {
    if (current && current.length + l.length + 1 > LIMITS.sectionText - 50) {
      out.push(section(current));
      current = '';
    }
    current += (current ? '\n' : '') + l;
  }
  if (current) out.push(section(current));
  return out;
}

function more(shown: number, total: number, where: string): Block[] {
  return total > shown ? [context(`…and ${total - shown} more: ${where}.`)] : [];
}

export function homeView(data: HomeData): HomeView {
  const { currency, quarter: q } = data;
  const blocks: Block[] = [];

  blocks.push(header(`Mo · ${q.key} budget`));
  blocks.push({
    type: 'section',
    fields: [
      { type: 'mrkdwn', text: `*Planned*\n${money(q.planned, currency)}` },
      { type: 'mrkdwn', text: `*Actual*\n${money(q.actual, currency)}` },
      { type: 'mrkdwn', text: `*Committed*\n${money(q.committed, currency)}` },
      {
        type: 'mrkdwn',
        text: `*Forecast*\n${forecastText(q.forecast, q.estimate, currency)}${q.variancePct === null ? '' : ` (${formatVariance(q.variancePct)})`}`,
      },
      { type: 'mrkdwn', text: `*Status*\n${STATUS_EMOJI[q.status]} ${q.statusLabel}` },
    ],
  });
  blocks.push(
    context(
      `${q.bookedPct === null ? 'No plan yet' : `${q.bookedPct} % of the plan spent or committed`} · ${q.elapsedPct} % of the quarter gone · see \`/mo budget\``,
    ),
  );
  if (q.furthestOver.length) {
    blocks.push(
      section(`*Furthest over plan*\n${q.furthestOver.map((l) => `• ${lineText(l, currency)}`).join('\n')}`),
    );
  } else if (q.planned > 0n) {
    blocks.push(section(':large_green_circle: No line of this quarter is forecast over its plan.'));
  }

  blocks.push(divider());
  blocks.push(header('Your budget lines'));
  if (data.ownLines.length) {
    const shown = data.ownLines.slice(0, HOME_MAX_LINES);
    blocks.push(...listSections(shown.map((l) => `• ${lineText(l, currency)}`)));
    blocks.push(...more(shown.length, data.ownLines.length, 'see `/mo budget`'));
  } else {
    blocks.push(section('You own no live budget line. An admin names owners in `/mo budget edit`.'));
  }

  if (data.moves.length) {
    blocks.push(divider());
    blocks.push(header(`Budget moves waiting for you (${data.moves.length})`));
    const shown = data.moves.slice(0, HOME_MAX_MOVES);
    for (const m of shown) blocks.push(...moveAskBlocks(m, currency, `home_move_${m.id}`));
    blocks.push(...more(shown.length, data.moves.length, 'see `/mo budget requests`'));
  }

  blocks.push(divider());
  const { alerts } = data;
  blocks.push(
    header(
      `${alerts.scope === 'all' ? 'Open alerts' : 'Open alerts on your lines'}${alerts.total ? ` (${alerts.total})` : ''}`,
    ),
  );
  if (alerts.total === 0) {
    blocks.push(section(':white_check_mark: Nothing waiting for you.'));
  } else {
    const shown = alerts.shown.slice(0, HOME_MAX_ALERTS);
    for (const a of shown) {
      blocks.push(
        section(
          `:rotating_light: *${escapeMrkdwn(truncate(a.category, 80))}* · ${escapeMrkdwn(a.period)} — ` +
            `${describeRule(a.rule as AlertRule, a.threshold)}\nForecast ${money(a.forecastMinor, currency)} of ` +
            `${money(a.plannedMinor, currency)} · raised ${slackDate(a.raisedAt)}`,
        ),
      );
      blocks.push(
        actions(`home_alert_${a.id}`.slice(0, 255), [
          button('Acknowledge', ALERT.ack, a.id, 'primary'),
          button('Snooze 1 day', ALERT.snoozeDay, a.id),
          button('Snooze 1 week', ALERT.snoozeWeek, a.id),
        ]),
      );
    }
    blocks.push(...more(shown.length, alerts.total, 'see `/mo alerts history`'));
  }

  if (data.surveys.length) {
    blocks.push(divider());
    blocks.push(header('Surveys waiting for your answers'));
    const shown = data.surveys.slice(0, HOME_MAX_SURVEYS);
    for (const s of shown) {
      blocks.push({
        type: 'section',
        block_id: `home_survey_${s.id}`.slice(0, 255),
        text: {
          type: 'mrkdwn',
          text: `*${escapeMrkdwn(truncate(s.name, 120))}* in ${channelMention(s.channelId)} · closes ${slackDate(s.closesAt)}`,
        },
        accessory: button('Take the survey', SURVEY.take, s.id, 'primary'),
      });
    }
    blocks.push(...more(shown.length, data.surveys.length, 'see `/mo survey list`'));
  }

  blocks.push(divider());
  const d = data.digest;
  blocks.push(
    section(
      d.enabled && d.next
        ? `:newspaper: *Weekly digest* — next ${slackDate(d.next, 'long')} in ${d.channelId ? channelMention(d.channelId) : '#marketing'}. Preview it with \`/mo digest preview\`.`
        : ':newspaper: *Weekly digest* — off. An admin turns it on with `/mo digest schedule monday 09:00`.',
    ),
  );

  if (data.isAdmin) {
    blocks.push(
      actions('home_admin', [
        button('Settings', HOME.settings, undefined),
        button('Import a file', HOME.importFile, undefined),
      ]),
    );
  }
  blocks.push(context(`Updated ${slackDate(data.at)} · type \`/mo help\` in any channel for every command`));

  return { type: 'home', blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}

/** "Import a file": how a file reaches Mo (Slack's Home tab cannot take a file itself). */
export function importHelpModal(): ModalView {
  return {
    type: 'modal',
    callback_id: HOME.importModal,
    title: plain('Import a file', LIMITS.modalTitle),
    close: plain('Done', 24),
    blocks: [
      section(
        '*Share the CSV with Mo* in your DM with Mo (the Messages tab) or in a channel Mo is in: ' +
          'Mo works out what it holds and answers in the file’s thread. All-or-nothing: a bad row ' +
          'rejects the file with its line numbers, and importing the same file twice changes nothing.',
      ),
      section(
        '*What Mo reads*\n• spend: `date,amount,category,campaign,vendor,status,external_id`\n' +
          '• budgets: `period,category,amount,owner`\n• leads and opportunities\n' +
          '• Google Ads, LinkedIn, Meta, HubSpot and Salesforce exports as they come',
      ),
      context('From a script: `POST /api/v1/import/spend` with a token from `/mo token create`.'),
    ],
  };
}
