import { describe, expect, it } from 'vitest';
import { signSlackRequest, slackSignature } from './signing.js';

// Slack's published example (docs "Verifying requests from Slack"), as in SLACK-FACTS.md.
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('Slack request signing', () => {
  it('matches Slack’s published test vector', () => {
    expect(slackSignature(SECRET, BODY, TIMESTAMP)).toBe(SIGNATURE);
    expect(signSlackRequest(SECRET, BODY, TIMESTAMP)).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': '1531420618',
      'x-slack-signature': SIGNATURE,
    });
  });

  it('signs with the current time by default', () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = signSlackRequest(SECRET, BODY);
    const ts = Number(headers['x-slack-request-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(headers['x-slack-signature']).toBe(slackSignature(SECRET, BODY, ts));
    expect(slackSignature('other-secret', BODY, ts)).not.toBe(headers['x-slack-signature']);
  });
});
