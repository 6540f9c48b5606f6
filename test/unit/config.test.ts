import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireSlack } from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults to the embedded SQLite database, HTTP on 3000 and the real clock', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBe('file:./data/mo.db');
    expect(c.port).toBe(3000);
    expect(c.now).toBeUndefined();
    expect(c.slack.apiUrl).toBe('https://slack.com/api/');
    expect(c.slack.appToken).toBeUndefined();
  });

  it('names every bad variable in one message', () => {
    expect(() =>
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', MO_NOW: 'yesterday', SLACK_BOT_TOKEN: 'xoxp-1' }),
    ).toThrowError(
      /PORT: must be a port number[\s\S]*DATABASE_URL: must start with file:[\s\S]*MO_NOW: must be an ISO 8601/,
    );
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxp-1' });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toContain('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
    }
  });

  it('pins the clock, selects PostgreSQL by URL and treats blank values as unset', () => {
    const c = loadConfig({
      MO_NOW: '2026-11-16T09:00:00Z',
      DATABASE_URL: 'postgresql://mo@db/mo',
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
    });
    expect(c.now?.toISOString()).toBe('2026-11-16T09:00:00.000Z');
    expect(c.databaseUrl).toBe('postgresql://mo@db/mo');
    expect(c.slack.appToken).toBeUndefined();
    expect(c.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
  });

  it('requires the Slack credentials only to serve', () => {
    expect(() => requireSlack(loadConfig({}))).toThrowError(
      /SLACK_BOT_TOKEN: is required[\s\S]*SLACK_SIGNING_SECRET/,
    );
    const slack = requireSlack(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xapp-1' }),
    );
    expect(slack.appToken).toBe('xapp-1');
  });

  it('serves one workspace with a bot token, or many by OAuth only with an encryption key', () => {
    const single = requireSlack(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }));
    expect(single.mode).toEqual({ kind: 'single', botToken: 'xoxb-1' });
    const oauthEnv = {
      SLACK_SIGNING_SECRET: 's',
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'c',
      SLACK_STATE_SECRET: 'a-state-secret-of-16+',
    };
    expect(() => requireSlack(loadConfig(oauthEnv))).toThrowError(
      /MO_ENCRYPTION_KEY: is required for OAuth installs/,
    );
    expect(() => requireSlack(loadConfig({ ...oauthEnv, SLACK_CLIENT_SECRET: '' }))).toThrowError(
      /SLACK_CLIENT_SECRET: is required/,
    );
    const oauth = requireSlack(loadConfig({ ...oauthEnv, MO_ENCRYPTION_KEY: 'k' }));
    expect(oauth.mode).toMatchObject({ kind: 'oauth', clientId: '1.2', encryptionKey: 'k' });
  });
});
