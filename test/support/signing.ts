// Signs a request body the way Slack does: v0=HMAC-SHA256(secret, `v0:${timestamp}:${body}`).
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function signSlackRequest(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, body, timestamp),
  };
}
