const MAX_WAIT_BATCHES = 32;

/**
 * When a run tries COPY straight into the table (see write-batch). After a batch met keys already there,
 * the next try comes 1, 2, 4 … 32 batches later: a re-import pays for a handful of refused COPYs, and a file
 * of known rows followed by new ones (an export that grew since the last import) is back on the fast path
 * soon after its new rows begin.
 */
export class StraightCopyPolicy {
  private wait = 0;
  private backoff = 1;
  /** Batches that went straight in, and that were upserted through staging: for the logs and tests. */
  straight = 0;
  upserted = 0;

  shouldTry(): boolean {
    if (this.wait === 0) return true;
    this.wait--;
    return false;
  }

  record(outcome: 'straight' | 'refused' | 'skipped'): void {
    if (outcome === 'straight') {
      this.straight++;
      this.backoff = 1;
      return;
    }
    this.upserted++;
    if (outcome === 'refused') {
      this.wait = this.backoff;
      this.backoff = Math.min(this.backoff * 2, MAX_WAIT_BATCHES);
    }
  }
}
