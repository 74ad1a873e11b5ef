// At most `slots` answers computed at once; the rest wait their turn, in order of arrival.
//
// Why: an answer's work (queries on the store thread, then rendering, JSON and the response_url
// post on the main thread) resumes when its query results arrive. With every acknowledged command
// computing at once, results for dozens of answers arrive together and their continuations run
// back to back in one stretch of the event loop (measured under the soak: up to 580 ms), and a
// slash command arriving meanwhile waits for all of them before it can be acknowledged. With a
// few slots the loop is never held by more than a few answers, so acks keep getting it; a waiting
// answer holds only its closure, not its queries' results.

//
// The waiting line is bounded too (`maxWaiting`): past it, work is refused at once (`FULL`)
// instead of queued, so a flood of commands can neither grow memory without end nor make
// every answer minutes late (the soak, unbounded: 20,000 waiting, answers 8 minutes late).

/** Returned instead of running the work when `maxWaiting` answers already wait. */
export const FULL = Symbol('answer slots full');

export type AnswerSlots = <T>(work: () => Promise<T>) => Promise<T | typeof FULL>;

export function answerSlots(slots: number, maxWaiting = Number.POSITIVE_INFINITY): AnswerSlots {
  let running = 0;
  const waiting: Array<() => void> = [];
  /** A finished answer hands its slot straight to the next one waiting, if any. */
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (work) => {
    if (running < slots) running++;
    else if (waiting.length >= maxWaiting) return FULL;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      release();
    }
  };
}
