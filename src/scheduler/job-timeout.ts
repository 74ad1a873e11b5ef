// A time limit per job run (after Lightdash's `tryJobOrTimeout`). A handler that hangs (a call
// that never answers, a lock never granted) cannot be killed in JavaScript, but its run can be
// declared over: the caller stops waiting, the handler's `signal` is aborted so a handler that
// listens stops too, and whatever the abandoned promise does later is only logged.

/** A run that did not finish within its limit. */
export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
  constructor(
    readonly task: string,
    readonly limitMs: number,
  ) {
    super(`${task}: still running after ${limitMs} ms; cut off`);
  }
}

/**
 * Runs `job` with an AbortSignal; rejects with JobTimeoutError after `limitMs` (and aborts the
 * signal), else settles as the job does. `onLateEnd` hears how a cut-off job ended, if ever.
 */
export function tryJobOrTimeout(
  task: string,
  limitMs: number,
  job: (signal: AbortSignal) => Promise<void>,
  onLateEnd: (err: unknown) => void,
): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let cutOff = false;
  const run = job(controller.signal);
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cutOff = true;
      const error = new JobTimeoutError(task, limitMs);
      controller.abort(error);
      reject(error);
    }, limitMs);
  });
  run.then(
    () => cutOff && onLateEnd(undefined),
    (err: unknown) => cutOff && onLateEnd(err),
  );
  return Promise.race([run, limit]).finally(() => clearTimeout(timer));
}
