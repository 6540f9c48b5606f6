// better-sqlite3 answers synchronously and Prisma's promises around it resolve at once, so a
// run of queries never gives the event loop back: four digests' queries chained together ran
// as one long task, and every /mo ack that arrived meanwhile waited behind it (ack p99 near
// 1 s while 200 digests were drawn). Background work awaits nextTurn() between its queries:
// the loop then takes in waiting requests (its poll phase) between any two of them.

/** Resolves on the event loop's next turn, after the I/O that is waiting has been taken in. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `work` on the next turn of the event loop (see above). */
export async function onNextTurn<T>(work: () => Promise<T>): Promise<T> {
  await nextTurn();
  return work();
}
