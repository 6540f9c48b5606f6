// The Web API client scheduled jobs post with. Slack's 429s are waited out for their
// Retry-After and 5xx answers retried with exponential backoff (about a minute in all);
// past that the run fails, is recorded, and the scheduler tries the slot again later.
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../log.js';

export const JOB_RETRY = { retries: 5, factor: 2, minTimeout: 1000, maxTimeout: 30_000, randomize: true };

export function jobClient(
  token: string,
  apiUrl: string,
  logger: Logger,
  retryConfig: WebClientOptions['retryConfig'] = JOB_RETRY,
): WebClient {
  return new WebClient(token, { slackApiUrl: apiUrl, logger, retryConfig, rejectRateLimitedCalls: false });
}
