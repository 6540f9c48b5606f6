// `mo serve` as a process through a scripted session — a signed `/mo budget`, an import
// through the API with a token, the Monday digest run by the scheduler, the alerts the
// import raises — then its full logs and its /metrics: every line JSON with the correlation
// id of what caused it, no token, secret or email in any line, and metrics counting what
// happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Serving, serveDemo, DEMO_TEAM as TEAM } from '../support/serve.js';
import { signSlackRequest } from '../support/signing.js';

const BOT_TOKEN = 'xoxb-1111-2222-operationsbottoken';
const SIGNING_SECRET = 'f3e1c2d4b5a69788signingsecret';
const ADMIN_EMAIL = 'dana.admin@acme-marketing.example';
const OWNER_EMAIL = 'pat.paid@acme-marketing.example';

let mo: Serving;
let apiSecret: string;
let alertsBefore: number;

beforeAll(async () => {
  // Monday 09:30 in New York: the 09:00 digest is due at start.
  mo = await serveDemo({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    slack: {
      users: {
        U0DEMOADMIN: { is_admin: true, email: ADMIN_EMAIL, real_name: 'Dana Admin' },
        U0DEMOPAID: { email: OWNER_EMAIL, real_name: 'Pat Paid' },
      },
      channels: { C0MKTG: { name: 'marketing' } },
    },
    env: {
      // The most talkative level: Bolt's and the Web API client's debug lines too.
      LOG_LEVEL: 'debug',
      LOG_FORMAT: '',
      MO_METRICS: 'on',
    },
    async prepare(t) {
      apiSecret = (await t.mo.tokens.create(TEAM, 'warehouse sync', 'U0DEMOADMIN')).secret;
      alertsBefore = await t.mo.db.alert.count();
    },
  });
}, 60_000);

afterAll(async () => {
  await mo.close();
});

interface Line {
  level: number;
  msg: string;
  correlationId?: string;
  surface?: string;
  job?: string;
  [k: string]: unknown;
}

function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').pop()) : Number.NaN;
}

describe('mo serve, a scripted session', () => {
  it('logs JSON lines with correlation ids and no secrets, and counts it all in /metrics', async () => {
    const { t, slack, child, until } = mo;
    const port = await mo.port();
    const base = `http://127.0.0.1:${port}`;

    // A slash command, signed.
    const commandBody = (user: string, id: string) =>
      new URLSearchParams({
        team_id: TEAM,
        channel_id: 'C0MKTG',
        user_id: user,
        command: '/mo',
        text: 'budget',
        api_app_id: 'A0MO',
        response_url: slack.responseUrl(id),
        trigger_id: `trigger-${id}`,
      }).toString();
    const body = commandBody('U0DEMOADMIN', 'budget');
    const command = await fetch(`${base}/slack/events`, {
      method: 'POST',
      body,
      headers: signSlackRequest(SIGNING_SECRET, body),
    });
    expect(command.status).toBe(200);
    await until(() => slack.responses().find((r) => r.args.__id === 'budget'), 'the budget reply');
    // A member Mo has not seen: Slack is asked who they are (users.info, with an email).
    const member = commandBody('U0DEMOPAID', 'budget-member');
    await fetch(`${base}/slack/events`, {
      method: 'POST',
      body: member,
      headers: signSlackRequest(SIGNING_SECRET, member),
    });
    await until(() => slack.responses().find((r) => r.args.__id === 'budget-member'), 'the member reply');
    expect(slack.callsTo('users.info').length).toBeGreaterThan(0);

    // An import through the API: enough Agency spend to overrun its plan.
    const csv = [
      'date,amount,category,campaign,external_id',
      '2026-11-20,250000.00,Agency/Creative,Rebrand,ops-1',
      '2026-11-21,1200.00,Paid Media/Search,Brand,ops-2',
    ].join('\n');
    const imported = await fetch(`${base}/api/v1/import/spend`, {
      method: 'POST',
      body: csv,
      headers: { authorization: `Bearer ${apiSecret}`, 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    const refused = await fetch(`${base}/api/v1/import/spend`, {
      method: 'POST',
      body: csv,
      headers: { authorization: `Bearer ${apiSecret}x`, 'content-type': 'text/csv' },
    });
    expect(refused.status).toBe(401);

    // The digest due at start, and the alerts the import raised (evaluated after it).
    await until(
      () => mo.stdout().includes('scheduler: digest:T0DEMO @ 2026-11-23T14:00:00.000Z succeeded'),
      'the digest',
    );
    const raised = await until(async () => {
      const n = (await t.mo.db.alert.count()) - alertsBefore;
      return n > 0 && mo.stdout().includes(`alerts for ${TEAM}:`) ? n : false;
    }, 'the alerts');

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(metric(text, 'mo_request_duration_seconds_count', 'surface="command"')).toBe(2);
    expect(metric(text, 'mo_request_duration_seconds_count', 'surface="api"')).toBe(2);
    expect(metric(text, 'mo_job_runs_total', 'job="digest",status="succeeded"')).toBe(1);
    expect(metric(text, 'mo_rows_imported_total', 'kind="spend"')).toBe(2);
    expect(metric(text, 'mo_alerts_raised_total')).toBe(raised);
    const posted = slack.callsTo('chat.postMessage').length;
    expect(metric(text, 'mo_slack_api_calls_total', 'method="chat.postMessage",result="ok"')).toBe(posted);
    expect(metric(text, 'mo_slack_api_calls_total', 'method="auth.test",result="ok"')).toBeGreaterThanOrEqual(
      1,
    );
    expect(text).toContain('# TYPE mo_request_duration_seconds histogram');
    expect(text).toContain('mo_process_resident_memory_bytes');

    child.kill('SIGTERM');
    expect(await mo.exited).toBe(0);

    // The full logs: every line JSON, nothing secret or personal in any of them.
    const stdout = mo.stdout();
    const full = stdout + mo.stderr();
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, apiSecret, ADMIN_EMAIL, OWNER_EMAIL, 'xoxb-'])
      expect(full, `the logs contain ${secret}`).not.toContain(secret);
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
    expect(lines.length).toBeGreaterThan(20);
    // Slack's answers were logged (debug) with the email in them masked.
    expect(full).toContain('[email]');

    // The command's lines (Bolt's included) share its id.
    const commandIds = new Set(lines.filter((l) => l.surface === 'command').map((l) => l.correlationId));
    expect(commandIds.size).toBe(2);
    const commandLines = lines.filter((l) => commandIds.has(l.correlationId));
    expect(commandLines.some((l) => l.msg.startsWith('ack() response sent'))).toBe(true);
    // The digest run's lines, posts included, carry its id and job.
    const digestLine = lines.find((l) => l.msg.startsWith('scheduler: digest:T0DEMO'));
    expect(digestLine?.job).toBe('digest');
    const runLines = lines.filter((l) => l.correlationId === digestLine?.correlationId);
    expect(runLines.some((l) => l.msg.includes("apiCall('chat.postMessage')"))).toBe(true);
    expect(runLines.every((l) => l.job === 'digest')).toBe(true);
    // Two API calls, two ids.
    expect(new Set(lines.filter((l) => l.surface === 'api').map((l) => l.correlationId)).size).toBe(2);
  }, 120_000);
});
