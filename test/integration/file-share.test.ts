// A CSV shared with Mo in Slack: a signed file_shared event in; the file read with the bot
// token; the result posted in the file's thread and the reply updated; non-admins refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestDatabase } from '../support/db.js';
import type { FakeSlack } from '../support/fake-slack.js';
import { captureLogger } from '../support/log.js';
import { signSlackRequest } from '../support/signing.js';
import { waitFor } from '../support/wait.js';

const SECRET = 'file-secret';
const TEAM = 'T0FILE';
let app: TestApp;
let t: TestDatabase;
let slack: FakeSlack;
let base: string;
let n = 0;
const log = captureLogger();

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: TEAM,
      users: { U0ADMIN: { is_admin: true }, U0MEMBER: {} },
      channels: { C0OPS: { name: 'mops' } },
    },
    undefined,
    'single',
    log.logger,
  );
  ({ t, slack } = app);
  base = `${app.base}/slack/events`;
});
afterAll(() => app?.close());

async function share(name: string, content: string, user: string) {
  const ts = `1763800000.00${++n}`;
  const fileId = slack.addFile({ name, content: Buffer.from(content), user, channelId: 'C0OPS', ts });
  await fileShared(fileId, user, ts);
  return ts;
}

/** Slack's file_shared event for `fileId`, signed, and its retry. */
async function fileShared(fileId: string, user: string, ts = `1763800000.00${++n}`) {
  const body = JSON.stringify({
    token: 'x',
    team_id: TEAM,
    api_app_id: 'A0MO',
    type: 'event_callback',
    event_id: `Ev${n}`,
    event_time: 1763800000,
    event: { type: 'file_shared', file_id: fileId, user_id: user, channel_id: 'C0OPS', event_ts: ts },
  });
  const headers = { ...signSlackRequest(SECRET, body), 'content-type': 'application/json' };
  const res = await fetch(base, { method: 'POST', body, headers });
  expect(res.status).toBe(200);
  // Slack's retry of the same event changes nothing.
  await fetch(base, { method: 'POST', body, headers: { ...headers, 'x-slack-retry-num': '1' } });
}

async function finalReply(ts: string): Promise<string> {
  const until = Date.now() + 10_000;
  for (;;) {
    const posted = slack.callsTo('chat.postMessage').find((c) => c.args.thread_ts === ts);
    const updates = slack.callsTo('chat.update').map((c) => String(c.args.text));
    const done = updates.find((u) => /^:(white_check_mark|x|warning):/.test(u));
    if (posted && done) return done;
    if (posted && String(posted.args.text).startsWith('Only Mo admins')) return String(posted.args.text);
    if (Date.now() > until) throw new Error('no final reply');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a CSV shared with Mo', () => {
  it('is detected and imported, with the result in the thread', async () => {
    slack.reset();
    const csv = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'google-ads.csv'), 'utf8');
    const ts = await share('google-ads-nov.csv', csv, 'U0ADMIN');
    const reply = await finalReply(ts);
    expect(reply).toContain('google-ads-nov.csv: Imported 3 spend rows: 3 added');
    expect(reply).toContain('(Google Ads campaign report)');
    expect(slack.callsTo('file_download')).toHaveLength(1);
    const sum = await t.mo.db.spend.aggregate({ where: { teamId: TEAM }, _sum: { amountMinor: true } });
    expect(sum._sum.amountMinor).toBe(223_456n);
  });

  it('reports a bad file by line in the thread', async () => {
    slack.reset();
    const ts = await share(
      'leads.csv',
      'created_date,category,external_id\n2026-11-01,Events,L1\nyesterday,Events,L2\n',
      'U0ADMIN',
    );
    expect(await finalReply(ts)).toContain('line 3: created_date "yesterday" is not a date');
    expect(await t.mo.db.lead.count({ where: { teamId: TEAM } })).toBe(0);
  });

  it('politely refuses a non-admin and reads nothing', async () => {
    slack.reset();
    const ts = await share('budgets.csv', 'period,category,amount\nFY2027,Events,100\n', 'U0MEMBER');
    expect(await finalReply(ts)).toContain('Only Mo admins can import data');
    expect(slack.callsTo('file_download')).toHaveLength(0);
  });

  describe('that is gone before Mo reads it', () => {
    const counts = async () => ({
      spend: await t.mo.db.spend.count({ where: { teamId: TEAM } }),
      audit: await t.mo.db.auditEvent.count({ where: { teamId: TEAM } }),
    });
    const told = () =>
      waitFor(() => slack.callsTo('chat.postEphemeral')[0], 'an ephemeral message to the sharer');

    it.each([
      ['never there for Mo (file_not_found)', () => 'F0UNKNOWN'],
      [
        'deleted by its owner (file_deleted)',
        () => {
          const id = slack.addFile({
            name: 'x.csv',
            content: Buffer.from('a'),
            user: 'U0ADMIN',
            channelId: 'C0OPS',
            ts: '1.1',
          });
          slack.deleteFile(id);
          return id;
        },
      ],
    ])('%s: tells the sharer alone, warns, imports nothing', async (_what, fileId) => {
      slack.reset();
      log.lines.length = 0;
      const before = await counts();
      await fileShared(fileId(), 'U0ADMIN');
      const ephemeral = await told();
      expect(ephemeral.args).toMatchObject({ channel: 'C0OPS', user: 'U0ADMIN' });
      expect(String(ephemeral.args.text)).toContain('The file you just shared is gone');
      expect(
        log.lines.some((l) => l.level === 'warn' && l.text.includes('is gone before Mo could read it')),
      ).toBe(true);
      expect(log.bugs()).toEqual([]);
      expect(slack.callsTo('chat.postMessage')).toEqual([]);
      expect(await counts()).toEqual(before);
    });

    it('deleted between Slack describing it and Mo downloading it: says so in the thread', async () => {
      slack.reset();
      log.lines.length = 0;
      const before = await counts();
      const ts = `1763800000.00${++n}`;
      const fileId = slack.addFile({
        name: 'late.csv',
        content: Buffer.from('period,category,amount\nFY2027,Events,100\n'),
        user: 'U0ADMIN',
        channelId: 'C0OPS',
        ts,
      });
      slack.onCall = (call) => {
        if (call.method === 'files.info') slack.deleteFile(fileId);
      };
      try {
        await fileShared(fileId, 'U0ADMIN', ts);
        expect(await finalReply(ts)).toBe(
          ':x: late.csv was deleted before Mo could read it, so nothing was imported. Share it again to import it.',
        );
      } finally {
        slack.onCall = undefined;
      }
      expect(log.bugs()).toEqual([]);
      expect(await counts()).toEqual(before);
    });
  });
});
