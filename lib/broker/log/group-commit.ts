/**
 * Group commit: callers that need their already-written bytes durable call {@link request}.
 * If no sync is running one starts now; if one is running, the caller's bytes may have been
 * written after it began, so the caller joins the single next sync, which starts as soon as
 * the current one ends. N concurrent callers therefore cost at most 2 fdatasyncs.
 */
export class GroupCommit {
  private inFlight: Promise<void> | undefined;
  private waiting:
    | { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void }
    | undefined;
  /** Number of syncs performed (tests, benchmarks). */
  syncCount = 0;

  constructor(private readonly doSync: () => Promise<void>) {}

  /** Resolves once a sync that started after this call has completed. */
  request(): Promise<void> {
    if (this.inFlight === undefined) return this.start();
    if (this.waiting === undefined) {
      let resolve: () => void = () => {};
      let reject: (e: unknown) => void = () => {};
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.waiting = { promise, resolve, reject };
    }
    return this.waiting.promise;
  }

  /** Resolves when no sync is running or queued (close). */
  async idle(): Promise<void> {
    while (this.inFlight !== undefined) await this.inFlight.catch(() => {});
  }

  private start(): Promise<void> {
    this.syncCount++;
    const p = this.doSync().finally(() => {
      this.inFlight = undefined;
      const w = this.waiting;
      if (w !== undefined) {
        this.waiting = undefined;
        this.start().then(w.resolve, w.reject);
      }
    });
    this.inFlight = p;
    return p;
  }
}
