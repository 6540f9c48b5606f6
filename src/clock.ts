// "Now" comes from one clock: the real one, or one that starts at the instant MO_NOW names and
// runs from there (so leases taken on it expire, and timestamps written on it keep their order).
export type Clock = () => Date;

export function createClock(start?: Date): Clock {
  if (!start) return () => new Date();
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}
