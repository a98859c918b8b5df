const MAX_WAIT_BATCHES = 32;

/** A step worth taking only while it pays: after each time it did not, skipped for the next 1, 2, 4 … 32 batches. */
class Backoff {
  private wait = 0;
  private backoff = 1;

  /** Whether this batch takes the step; asked once per batch. */
  due(): boolean {
    if (this.wait === 0) return true;
    this.wait--;
    return false;
  }

  paid(): void {
    this.backoff = 1;
  }

  missed(): void {
    this.wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, MAX_WAIT_BATCHES);
  }
}

/**
 * How a run's batches are written (see write-batch), learnt from the batches before:
 * - COPY straight into the table is tried again 1, 2, 4 … 32 batches after a batch met keys already there: a
 *   re-import pays for a handful of refused COPYs, and a file of known rows followed by new ones (an export that grew
 *   since the last import) is back on the fast path soon after its new rows begin.
 * - An upserted batch first takes out its rows equal to the stored ones while at least a tenth of a batch was: that
 *   halves a re-import's statements, but over a batch of mostly new rows (new rows with a few known keys) it is one
 *   more join for nothing, so it backs off the same way.
 */
export class WritePolicy {
  private readonly straightTries = new Backoff();
  private readonly unchangedLooks = new Backoff();
  /** Batches that went straight in, and that were upserted through staging: for the logs and tests. */
  straight = 0;
  upserted = 0;

  shouldTryStraight(): boolean {
    return this.straightTries.due();
  }

  recordStraight(outcome: 'straight' | 'refused' | 'skipped'): void {
    if (outcome === 'straight') {
      this.straight++;
      this.straightTries.paid();
      return;
    }
    this.upserted++;
    if (outcome === 'refused') this.straightTries.missed();
  }

  shouldDropUnchanged(): boolean {
    return this.unchangedLooks.due();
  }

  recordUnchanged(dropped: number, rows: number): void {
    if (dropped * 10 >= rows) this.unchangedLooks.paid();
    else this.unchangedLooks.missed();
  }
}
