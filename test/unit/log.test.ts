// The logger: JSON lines with the correlation id of what caused them, and nothing secret or
// personal in any of them, whatever a message or an error carries.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, withCorrelation } from '../../src/log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, destination };
}

const SECRET = 'signing-secret-0123456789abcdef';

describe('logger', () => {
  it('writes one JSON line per event with the correlation id of its request', async () => {
    const { lines, destination } = capture();
    const logger = createLogger('info', { destination, pretty: false });
    logger.info('outside');
    await withCorrelation({ surface: 'command', teamId: 'T1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.info('inside', 'after a timer');
    });
    logger.debug('below the level');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.correlationId).toBeUndefined();
    expect(lines[1]).toMatchObject({ msg: 'inside after a timer', surface: 'command', teamId: 'T1' });
    expect(lines[1]?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps LOG_LEVEL when Bolt sets its own level', () => {
    const { lines, destination } = capture();
    const logger = createLogger('error', { destination, pretty: false });
    logger.setLevel('debug' as never);
    logger.warn('a warning');
    expect(lines).toHaveLength(0);
  });

  it('masks tokens, the process secrets and emails in messages, objects and errors', () => {
    const { lines, destination } = capture();
    const logger = createLogger('debug', { destination, pretty: false, secrets: [SECRET] });
    const apiToken = `mo_${'A'.repeat(43)}`;
    logger.info(`token xoxb-123-456-abcDEF and xapp-1-A0-123-abc, api ${apiToken}`);
    logger.debug('result', { user: { profile: { email: 'dana@acme.example' } }, token: 'xoxp-9-9' });
    const error = Object.assign(new Error(`bad signature for ${SECRET} from pat@acme.example`), {
      code: 'slack_webapi_platform_error',
      data: { error: 'invalid_auth' },
    });
    logger.error('call failed', error);
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    for (const leak of ['xoxb-123', 'xapp-1-A0', apiToken, 'xoxp-9', SECRET, 'dana@acme', 'pat@acme'])
      expect(text).not.toContain(leak);
    expect(text).toContain('xox*-[redacted]');
    expect(text).toContain('[email]');
    expect(lines[2]).toMatchObject({
      msg: 'call failed',
      error: { type: 'Error', code: 'slack_webapi_platform_error', slackError: 'invalid_auth' },
    });
    expect(String((lines[2]?.error as { message?: string } | undefined)?.message)).toContain('[secret]');
  });

  it('leaves Mo action ids alone', () => {
    const { lines, destination } = capture();
    createLogger('info', { destination, pretty: false }).info('action mo_alert_ack clicked');
    expect(lines[0]?.msg).toBe('action mo_alert_ack clicked');
  });
});
