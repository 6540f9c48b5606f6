// The fake Slack must reject what Slack rejects, or the builder tests prove nothing.
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, validateBlocks, validateView } from './support/fake-slack.js';

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
  });
});
afterAll(() => slack.close());

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('validateBlocks', () => {
  it('accepts a valid message and names each problem with a json-pointer', () => {
    expect(validateBlocks([section('hi')], 'message')).toEqual([]);
    expect(
      validateBlocks(
        Array.from({ length: 51 }, () => ({ type: 'divider' })),
        'message',
      )[0],
    ).toContain('[json-pointer:/blocks]');
    expect(
      validateBlocks(
        Array.from({ length: 51 }, () => ({ type: 'divider' })),
        'modal',
      ),
    ).toEqual([]);
    expect(validateBlocks([section('x'.repeat(3001))], 'message')).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    const button = { type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) }, action_id: 'a' };
    expect(validateBlocks([{ type: 'actions', elements: [button] }], 'message')[0]).toContain(
      '/blocks/0/elements/0/text/text',
    );
    expect(
      validateBlocks(
        [
          { ...section('a'), block_id: 'x' },
          { ...section('b'), block_id: 'x' },
        ],
        'message',
      )[0],
    ).toContain('duplicate block_id');
    expect(validateBlocks([{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], 'message')[0]).toContain(
      'must be plain_text',
    );
    expect(validateBlocks([{ type: 'table' }], 'message')[0]).toContain('unknown block type');
  });

  it('checks modal titles, submit buttons and option limits', () => {
    const input = {
      type: 'input',
      label: { type: 'plain_text', text: 'L' },
      element: { type: 'plain_text_input', action_id: 'i' },
    };
    expect(
      validateView({ type: 'modal', title: { type: 'plain_text', text: 'x'.repeat(25) }, blocks: [] })[0],
    ).toContain('/view/title/text');
    expect(
      validateView({ type: 'modal', title: { type: 'plain_text', text: 'ok' }, blocks: [input] })[0],
    ).toContain('submit is required');
    const radio = {
      ...input,
      element: {
        type: 'radio_buttons',
        action_id: 'r',
        options: Array.from({ length: 11 }, (_, i) => ({
          text: { type: 'plain_text', text: `o${i}` },
          value: `${i}`,
        })),
      },
    };
    expect(
      validateView({
        type: 'modal',
        title: { type: 'plain_text', text: 'ok' },
        submit: { type: 'plain_text', text: 'Go' },
        blocks: [radio],
      })[0],
    ).toContain('between 1 and 10 options');
  });
});

describe('FakeSlack over the real WebClient', () => {
  it('posts valid messages and rejects invalid blocks the way Slack does', async () => {
    const ok = await client.chat.postMessage({ channel: 'C1', text: 'hello', blocks: [section('hello')] });
    expect(ok.ok).toBe(true);
    await expect(
      client.chat.postMessage({
        channel: 'C1',
        text: 't',
        blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })),
      }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    await expect(client.chat.postMessage({ channel: 'C2', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await expect(client.chat.update({ channel: 'C1', ts: '1.1', text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
    expect((await client.chat.update({ channel: 'C1', ts: ok.ts as string, text: 'edited' })).ok).toBe(true);
  });

  it('answers users.info with admin flags and timezone', async () => {
    const res = await client.users.info({ user: 'U1' });
    expect(res.user).toMatchObject({ is_admin: true, tz: 'Europe/Berlin' });
    await expect(client.users.info({ user: 'U404' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('uploads a file through files.uploadV2', async () => {
    await client.filesUploadV2({
      channel_id: 'C1',
      file: Buffer.from('PNGDATA'),
      filename: 'chart.png',
      title: 'Burn-up',
      alt_text: 'Budget burn-up chart',
    });
    expect(slack.uploads[0]).toMatchObject({
      filename: 'chart.png',
      title: 'Burn-up',
      channelId: 'C1',
      completed: true,
    });
    expect(slack.uploads[0]?.bytes.toString()).toBe('PNGDATA');
    expect(slack.uploads[0]?.altText).toBe('Budget burn-up chart');
  });

  it('surfaces a 429 as a rate-limit error', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
  });

  it('records response_url posts', async () => {
    const url = slack.responseUrl('abc');
    const res = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ text: 'hi' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(slack.responses().at(-1)?.args).toMatchObject({ text: 'hi', __id: 'abc' });
  });
});
