// The fake Slack must reject what Slack rejects, or the builder tests prove nothing. Everything
// over HTTP goes through the real @slack/web-api WebClient, so request shapes are the real ones.
import { type Logger, LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack, validateBlocks, validateView } from './fake-slack.js';

// The client logs every platform error; these tests provoke them on purpose.
const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

let slack: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  slack = await FakeSlack.start({
    users: { U1: { is_admin: true, tz: 'Europe/Berlin' }, U2: {} },
    channels: { C1: { name: 'marketing' }, C2: { name: 'finance', is_member: false } },
  });
  client = new WebClient('xoxb-test', {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quiet,
  });
});
afterAll(() => slack.close());
beforeEach(() => slack.reset());

const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const button = (text: string) => ({ type: 'button' as const, text: plain(text), action_id: 'a' });
const modal = (title: string, blocks: unknown[] = []) => ({ type: 'modal', title: plain(title), blocks });

/** The `response_metadata.messages` of a rejected call, after checking its error code. */
async function rejection(call: Promise<unknown>, error: string): Promise<string[]> {
  const e = await call.then(
    () => expect.unreachable(`expected ${error}`),
    (x: { data?: { error?: string; response_metadata?: { messages?: string[] } } }) => x,
  );
  expect(e.data?.error).toBe(error);
  return e.data?.response_metadata?.messages ?? [];
}

describe('validateBlocks and validateView', () => {
  it('accept valid blocks and name each problem with a json-pointer', () => {
    expect(validateBlocks([section('hi'), { type: 'divider' }], 'message')).toEqual([]);
    const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateBlocks(dividers(51), 'message')).toEqual([
      '[ERROR] must provide no more than 50 items [json-pointer:/blocks]',
    ]);
    expect(validateBlocks(dividers(51), 'modal')).toEqual([]);
    expect(validateBlocks(dividers(101), 'home')[0]).toContain('no more than 100 items');
    expect(validateBlocks([section('x'.repeat(3001))], 'message')).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(validateBlocks([section('')], 'message')[0]).toContain('/blocks/0/text/text');
    expect(validateBlocks([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], 'message')[0]).toContain(
      'must be plain_text',
    );
    expect(validateBlocks([{ type: 'table' }], 'message')[0]).toContain('unknown block type table');
  });

  it('check elements, options and text objects', () => {
    const actions = (...elements: unknown[]) => [{ type: 'actions', elements }];
    expect(validateBlocks(actions(button('b'.repeat(75))), 'message')).toEqual([]);
    expect(validateBlocks(actions(button('b'.repeat(76))), 'message')).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ]);
    expect(validateBlocks(actions({ ...button('b'), style: 'secondary' }), 'message')[0]).toContain('/style');
    expect(validateBlocks(actions({ ...button('b'), action_id: 'a'.repeat(256) }), 'message')[0]).toContain(
      '/blocks/0/elements/0/action_id',
    );
    expect(validateBlocks(actions(...Array.from({ length: 26 }, () => button('b'))), 'message')[0]).toContain(
      'between 1 and 25 elements',
    );
    const opt = (value: string, text = 'o') => ({ text: plain(text), value });
    const select = (extra: object) => ({
      type: 'static_select',
      action_id: 's',
      placeholder: plain('p'),
      ...extra,
    });
    expect(validateBlocks(actions(select({ options: [opt('v')] })), 'message')).toEqual([]);
    expect(validateBlocks(actions(select({ options: [opt('v'.repeat(151))] })), 'message')[0]).toContain(
      '/blocks/0/elements/0/options/0/value',
    );
    expect(validateBlocks(actions(select({ options: [opt('v', 't'.repeat(76))] })), 'message')[0]).toContain(
      '/options/0/text/text',
    );
    expect(
      validateBlocks(actions(select({ options: [opt('v')], option_groups: [] })), 'message')[0],
    ).toContain('cannot both be set');
    const overflow = {
      type: 'overflow',
      action_id: 'o',
      options: Array.from({ length: 6 }, (_, i) => opt(`${i}`)),
    };
    expect(validateBlocks(actions(overflow), 'message')[0]).toContain('between 1 and 5 options');
    // Slack rejects `emoji` on mrkdwn text ("invalid additional property").
    expect(
      validateBlocks([{ type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true } }], 'message'),
    ).toEqual(['[ERROR] invalid additional property: emoji [json-pointer:/blocks/0/text]']);
    expect(validateBlocks([{ type: 'image', image_url: 'https://x/y.png' }], 'message')[0]).toContain(
      '/blocks/0/alt_text',
    );
    expect(validateBlocks([{ type: 'context', elements: [] }], 'message')[0]).toContain('between 1 and 10');
    expect(
      validateBlocks(
        [{ type: 'section', fields: Array.from({ length: 11 }, () => plain('f')) }],
        'message',
      )[0],
    ).toContain('/blocks/0/fields');
  });

  it('reject duplicate block_ids and too much text in a message', () => {
    expect(
      validateBlocks(
        [
          { ...section('a'), block_id: 'x' },
          { ...section('b'), block_id: 'x' },
        ],
        'message',
      ),
    ).toEqual(['[ERROR] duplicate block_id x [json-pointer:/blocks/1/block_id]']);
    const long = Array.from({ length: 5 }, () => section('x'.repeat(2500)));
    expect(validateBlocks(long, 'message')[0]).toContain('msg_blocks_too_long');
    expect(validateBlocks(long, 'modal')).toEqual([]);
  });

  it('check modal titles, submit buttons and radio options', () => {
    const input = {
      type: 'input',
      label: plain('L'),
      element: { type: 'plain_text_input', action_id: 'i', max_length: 3000 },
    };
    expect(validateView({ ...modal('ok', [input]), submit: plain('Save') })).toEqual([]);
    expect(validateView(modal('x'.repeat(24)))).toEqual([]);
    expect(validateView(modal('x'.repeat(25)))).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
    expect(validateView(modal('ok', [input]))[0]).toContain('submit is required');
    expect(validateView({ ...modal('ok'), private_metadata: 'm'.repeat(3001) })[0]).toContain(
      '/view/private_metadata',
    );
    const radio = {
      ...input,
      element: {
        type: 'radio_buttons',
        action_id: 'r',
        options: Array.from({ length: 11 }, (_, i) => ({ text: plain(`o${i}`), value: `${i}` })),
      },
    };
    expect(validateView({ ...modal('ok', [radio]), submit: plain('Go') })).toEqual([
      '[ERROR] must provide between 1 and 10 options [json-pointer:/view/blocks/0/element/options]',
    ]);
    expect(validateView({ type: 'home', blocks: [section('home')] })).toEqual([]);
  });
});

describe('FakeSlack over the real WebClient', () => {
  it('posts a valid message with increasing ts and records args as sent', async () => {
    const metadata = { event_type: 'mo_budget', event_payload: { period: 'FY2027' } };
    const first = await client.chat.postMessage({
      channel: 'C1',
      text: '[1] looks like JSON',
      blocks: [section('hello')],
      metadata,
      client_msg_id: 'cm-1',
    } as Parameters<WebClient['chat']['postMessage']>[0]);
    const second = await client.chat.postMessage({ channel: 'D1', text: 'a DM' });
    expect(first).toMatchObject({ ok: true, channel: 'C1', message: { text: '[1] looks like JSON' } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    const [call] = slack.callsTo('chat.postMessage');
    // Only nested fields are decoded: a text that looks like JSON stays text.
    expect(call?.args).toMatchObject({ text: '[1] looks like JSON', metadata, client_msg_id: 'cm-1' });
    expect(call?.args.blocks).toEqual([section('hello')]);
    expect(await client.chat.update({ channel: 'C1', ts: first.ts as string, text: 'edited' })).toMatchObject(
      {
        ok: true,
        ts: first.ts,
        text: 'edited',
      },
    );
  });

  it('rejects what Slack rejects, with the same error codes', async () => {
    const dividers = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(
      await rejection(
        client.chat.postMessage({ channel: 'C1', text: 't', blocks: dividers }),
        'invalid_blocks',
      ),
    ).toEqual(['[ERROR] must provide no more than 50 items [json-pointer:/blocks]']);
    const long = client.chat.postMessage({
      channel: 'C1',
      text: 't',
      blocks: [{ type: 'actions', elements: [button('b'.repeat(76))] }],
    });
    expect(await rejection(long, 'invalid_blocks')).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ]);
    const dup = client.chat.postMessage({
      channel: 'C1',
      text: 't',
      blocks: [
        { ...section('a'), block_id: 'same' },
        { ...section('b'), block_id: 'same' },
      ],
    });
    expect((await rejection(dup, 'invalid_blocks'))[0]).toContain('duplicate block_id same');
    const tooMuch = Array.from({ length: 5 }, () => section('x'.repeat(2500)));
    await rejection(
      client.chat.postMessage({ channel: 'C1', text: 't', blocks: tooMuch }),
      'msg_blocks_too_long',
    );
    await rejection(client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_001) }), 'msg_too_long');
    await rejection(client.chat.postMessage({ channel: 'C2', text: 'x' }), 'not_in_channel');
    await rejection(client.chat.postMessage({ channel: 'C404', text: 'x' }), 'channel_not_found');
    await rejection(client.chat.postMessage({ channel: 'C1', text: '' }), 'no_text');
    await rejection(client.chat.update({ channel: 'C1', ts: '1.1', text: 'x' }), 'message_not_found');
    await rejection(client.apiCall('no.such.method'), 'unknown_method');
    const anonymous = new WebClient(undefined, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
    await rejection(anonymous.auth.test(), 'not_authed');
  });

  it('validates views: a 25-character modal title is rejected under /view', async () => {
    const opened = await client.views.open({ trigger_id: 't1', view: modal('x'.repeat(24)) as never });
    expect(opened.view).toMatchObject({ type: 'modal', state: { values: {} } });
    expect(opened.view?.id).toMatch(/^V/);
    const bad = client.views.open({ trigger_id: 't2', view: modal('x'.repeat(25)) as never });
    expect(await rejection(bad, 'invalid_blocks')).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
    const updated = await client.views.update({
      view_id: opened.view?.id as string,
      view: modal('next') as never,
    });
    expect(updated.view?.id).toBe(opened.view?.id);
    const home = await client.views.publish({
      user_id: 'U1',
      view: { type: 'home', blocks: [section('hi') as never] },
    });
    expect(home.ok).toBe(true);
    await rejection(client.views.publish({ user_id: 'U1', view: modal('ok') as never }), 'invalid_blocks');
  });

  it('round-trips files.uploadV2 with the exact bytes and alt text', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);
    const res = await client.filesUploadV2({
      channel_id: 'C1',
      thread_ts: '1700000000.000100',
      file: bytes,
      filename: 'chart.png',
      title: 'Burn-up',
      alt_text: 'Budget burn-up chart',
    });
    expect(res.ok).toBe(true);
    expect(slack.uploads).toHaveLength(1);
    const [upload] = slack.uploads;
    expect(upload).toMatchObject({
      filename: 'chart.png',
      title: 'Burn-up',
      altText: 'Budget burn-up chart',
      channelId: 'C1',
      threadTs: '1700000000.000100',
      completed: true,
    });
    expect(upload?.bytes.equals(bytes)).toBe(true);
    expect(slack.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    await rejection(client.files.completeUploadExternal({ files: [{ id: 'F404' }] }), 'file_not_found');
  });

  it('answers users.info with admin flags, timezone and offset', async () => {
    const res = await client.users.info({ user: 'U1' });
    expect(res.user).toMatchObject({
      id: 'U1',
      is_admin: true,
      is_owner: false,
      tz: 'Europe/Berlin',
      is_bot: false,
    });
    expect([3600, 7200]).toContain(res.user?.tz_offset);
    expect((await client.users.info({ user: 'U2' })).user).toMatchObject({
      is_admin: false,
      tz: 'America/New_York',
    });
    slack.setUser('U3', { is_owner: true, deleted: true });
    expect((await client.users.info({ user: 'U3' })).user).toMatchObject({ is_owner: true, deleted: true });
    await rejection(client.users.info({ user: 'U404' }), 'user_not_found');
    expect((await client.conversations.info({ channel: 'C2' })).channel).toMatchObject({
      name: 'finance',
      is_member: false,
    });
  });

  it('fails the next call as asked: 429 as a rate-limit error, 5xx, or an error code', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
    // Only the next call fails.
    expect((await client.chat.postMessage({ channel: 'C1', text: 'x' })).ok).toBe(true);
    slack.failNext('users.info', { status: 503 });
    await expect(client.users.info({ user: 'U1' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 503,
    });
    slack.failNext('views.open', { error: 'expired_trigger_id' });
    await rejection(client.views.open({ trigger_id: 't', view: modal('ok') as never }), 'expired_trigger_id');
  });

  it('records response_url posts and rejects invalid blocks there too', async () => {
    const url = slack.responseUrl('abc');
    const res = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ text: 'hi', response_type: 'ephemeral' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(slack.responses()).toHaveLength(1);
    expect(slack.responses()[0]).toMatchObject({
      method: 'response_url',
      args: { text: 'hi', response_type: 'ephemeral', __id: 'abc' },
    });
    const bad = await fetch(slack.responseUrl(), {
      method: 'POST',
      body: JSON.stringify({ text: 'hi', blocks: [{ type: 'header', text: plain('h'.repeat(151)) }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: {
        messages: ['[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
      },
    });
    expect(slack.responses()[1]?.args.__id).toMatch(/^r\d+$/);
  });
});
