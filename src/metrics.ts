// Mo's Prometheus metrics (prom-client), served on GET /metrics when MO_METRICS=on: request
// latency by surface, Slack Web API calls by method and result, job runs by job and status,
// alerts raised, rows imported. One registry per process; counting is always on (it is
// cheap), serving is what the setting turns on.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { WebClient, WebClientEvent } from '@slack/web-api';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { withCorrelation } from './log.js';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'mo_' });

export const requestSeconds = new Histogram({
  name: 'mo_request_duration_seconds',
  help: 'Time to handle a request, by surface (command, action, view, event, api)',
  labelNames: ['surface'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const slackCalls = new Counter({
  name: 'mo_slack_api_calls_total',
  help: 'Slack Web API calls by method and result (ok, error, 429: each rate-limited answer)',
  labelNames: ['method', 'result'] as const,
  registers: [registry],
});

export const jobRuns = new Counter({
  name: 'mo_job_runs_total',
  help: 'Scheduled job runs by job and status (succeeded, failed)',
  labelNames: ['job', 'status'] as const,
  registers: [registry],
});

export const alertsRaised = new Counter({
  name: 'mo_alerts_raised_total',
  help: 'Budget alerts raised',
  registers: [registry],
});

export const rowsImported = new Counter({
  name: 'mo_rows_imported_total',
  help: 'Rows read by committed imports, by kind (spend, budgets, leads, opportunities)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

/** Times `work` into the request histogram under `surface`. */
export async function timed<T>(surface: string, work: () => Promise<T>): Promise<T> {
  const end = requestSeconds.startTimer({ surface });
  try {
    return await work();
  } finally {
    end();
  }
}

/** Which surface a Bolt request came in on. */
export function surfaceOf(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'block_actions' || body.type === 'block_suggestion') return 'action';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  if (body.type === 'event_callback') return 'event';
  return 'other';
}

/**
 * Bolt global middleware: each request gets a correlation id carried into every line it
 * causes, and its handling time is measured by surface.
 */
export const observeRequests: Middleware<AnyMiddlewareArgs> = async (args) => {
  const body = args.body as unknown as Record<string, unknown>;
  const surface = surfaceOf(body);
  const team = (body.team_id ?? (body.team as { id?: string } | undefined)?.id) as string | undefined;
  await withCorrelation({ surface, ...(team ? { teamId: team } : {}) }, () =>
    timed(surface, () => args.next()),
  );
};

const METERED = Symbol('mo.metered');
let installed = false;

/**
 * Counts every Web API call of every WebClient in the process (Bolt's and the jobs'): the
 * result of each call, and each 429 Slack answered before a retry.
 */
export function meterSlackCalls(): void {
  if (installed) return;
  installed = true;
  const original = WebClient.prototype.apiCall;
  WebClient.prototype.apiCall = async function metered(
    this: WebClient & { [METERED]?: true },
    method,
    options,
  ) {
    if (!this[METERED]) {
      this[METERED] = true;
      this.on(WebClientEvent.RATE_LIMITED, (_retrySec: number, request: { url?: string }) =>
        slackCalls.inc({
          method:
            String(request?.url ?? '')
              .split('/')
              .pop() || 'unknown',
          result: '429',
        }),
      );
    }
    // files.uploadV2 is a helper over three methods, each counted on its own.
    if (method === 'files.uploadV2') return original.call(this, method, options);
    try {
      const result = await original.call(this, method, options);
      slackCalls.inc({ method, result: 'ok' });
      return result;
    } catch (error) {
      const code = (error as { code?: string }).code;
      slackCalls.inc({ method, result: code === 'slack_webapi_rate_limited_error' ? '429' : 'error' });
      throw error;
    }
  };
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
