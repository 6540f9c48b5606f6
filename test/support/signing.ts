// Signs a request body the way Slack does (the playground signs its requests the same way).
import { signedHeaders, slackSignature } from '../../src/playground/slack-requests.js';

export { slackSignature };

export function signSlackRequest(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return signedHeaders(secret, body, 'application/x-www-form-urlencoded', timestamp);
}
