// Wall-clock schedules in an IANA timezone: when the weekly digest's slot falls, as a UTC
// instant, across daylight-saving changes. Pure: Intl only.
import { addDays, type IsoDate, dateInZone as localDate } from './calendar.js';
import { InvalidError } from './errors.js';

export class ScheduleError extends InvalidError {}

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** "mon", "Monday", "MON" → 1; undefined when it is not a day. */
export function parseWeekday(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t.length < 3) return undefined;
  const i = WEEKDAYS.findIndex((d) => d.startsWith(t));
  return i < 0 ? undefined : i + 1;
}

export const weekdayName = (day: number) => {
  const name = WEEKDAYS[day - 1] ?? 'monday';
  return name[0]?.toUpperCase() + name.slice(1);
};

/** "9:00", "09:00", "17:30" → "HH:MM"; undefined otherwise. */
export function parseClockTime(text: string): string | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return m ? `${(m[1] as string).padStart(2, '0')}:${m[2]}` : undefined;
}

// One formatter per zone: building one costs about a millisecond, and the scheduler asks
// for every workspace's offset on every tick.
const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at an instant. */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    clockFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a local wall-clock time happens on a day in a zone. A time skipped by a
 * spring-forward change happens at the same distance after the change (02:30 → 03:30); a
 * time repeated by a fall-back change happens the first time.
 */
export function zonedInstant(date: IsoDate, time: string, timeZone: string): Date {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
    h,
    m,
  );
  // The offset before and after the wall time bracket any change near it.
  const before = zoneOffsetMinutes(new Date(wall - 86_400_000), timeZone);
  const after = zoneOffsetMinutes(new Date(wall + 86_400_000), timeZone);
  const valid = [before, after]
    .map((offset) => ({ offset, at: wall - offset * 60_000 }))
    .filter((c) => zoneOffsetMinutes(new Date(c.at), timeZone) === c.offset)
    .map((c) => c.at);
  // In a gap neither offset fits: keep the distance from the change (02:30 → 03:30).
  return new Date(valid.length ? Math.min(...valid) : wall - before * 60_000);
}

export interface WeeklySchedule {
  /** ISO weekday, 1 = Monday. */
  day: number;
  /** Local "HH:MM". */
  time: string;
  timeZone: string;
}

/** The latest slot of a weekly schedule at or before `now`. */
export function lastWeeklySlot(schedule: WeeklySchedule, now: Date): Date {
  const today = localDate(now, schedule.timeZone);
  const back = (isoWeekday(today) - schedule.day + 7) % 7;
  let date = addDays(today, -back);
  let slot = zonedInstant(date, schedule.time, schedule.timeZone);
  if (slot.getTime() > now.getTime()) {
    date = addDays(date, -7);
    slot = zonedInstant(date, schedule.time, schedule.timeZone);
  }
  return slot;
}

/** The first slot of a weekly schedule strictly after `now`. */
export function nextWeeklySlot(schedule: WeeklySchedule, now: Date): Date {
  const last = lastWeeklySlot(schedule, now);
  const date = addDays(localDate(last, schedule.timeZone), 7);
  return zonedInstant(date, schedule.time, schedule.timeZone);
}

/** The latest top of the hour at or before `now` (UTC hours: every zone's hours but a few). */
export function lastHourlySlot(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
}
