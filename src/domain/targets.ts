// The quarter targets the digest's funnel figures are measured against.

export const TARGET_METRICS = ['leads', 'mqls', 'sqls', 'pipeline', 'won'] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];

/** Pipeline and won are money (minor units); the others are counts. */
export const isMoneyMetric = (m: TargetMetric) => m === 'pipeline' || m === 'won';
