// "Now" comes from one clock: the real one, or the instant MO_NOW pins for demos and tests.
export type Clock = () => Date;

export function createClock(pinned?: Date): Clock {
  return pinned ? () => new Date(pinned.getTime()) : () => new Date();
}
