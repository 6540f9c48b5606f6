// Calendar dates as exports write them: 2026-11-03, 11/3/2026, Nov 3, 2026, 3 Nov 2026,
// with or without a time after them. Returns YYYY-MM-DD, or undefined when unreadable.
import { isIsoDate } from './calendar.js';

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

export function parseLooseDate(text: string): string | undefined {
  const t = text.trim().replace(/[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(am|pm|z|[+-]\d{2}:?\d{2})?\s*$/i, '');
  let out: string | undefined;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) out = iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = out ? null : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) out = iso(Number(m[3]), Number(m[1]), Number(m[2]));
  m = out ? null : /^([a-z]{3,4})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(t);
  if (m) {
    const month = MONTHS[(m[1] ?? '').toLowerCase()];
    if (month) out = iso(Number(m[3]), month, Number(m[2]));
  }
  m = out ? null : /^(\d{1,2})\s+([a-z]{3,4})[a-z]*\.?,?\s+(\d{4})$/i.exec(t);
  if (m) {
    const month = MONTHS[(m[2] ?? '').toLowerCase()];
    if (month) out = iso(Number(m[3]), month, Number(m[1]));
  }
  return out && isIsoDate(out) ? out : undefined;
}
