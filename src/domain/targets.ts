// Targets: the quarter goals the digest's funnel figures are measured against, and the channel
// efficiency targets of /mo perf (per period or standing, per category or for the workspace).

import { PERF_TARGET_METRICS, type PerfTargetMetric } from './perf.js';

export const FUNNEL_TARGET_METRICS = ['leads', 'mqls', 'sqls', 'pipeline', 'won'] as const;
export const TARGET_METRICS = [...FUNNEL_TARGET_METRICS, ...PERF_TARGET_METRICS] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];
export type FunnelTargetMetric = (typeof FUNNEL_TARGET_METRICS)[number];

/** Pipeline, won and the costs are money (minor units); pipeline_to_spend a ratio; the others counts. */
export const isMoneyMetric = (m: TargetMetric) =>
  m === 'pipeline' || m === 'won' || m === 'cpl' || m === 'cost_per_opportunity';

export const isFunnelMetric = (m: string): m is FunnelTargetMetric =>
  (FUNNEL_TARGET_METRICS as readonly string[]).includes(m);

export const isPerfMetric = (m: string): m is PerfTargetMetric =>
  (PERF_TARGET_METRICS as readonly string[]).includes(m);
