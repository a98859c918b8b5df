import { publishEvent, type Bus } from '@docprocessor/bus';
import { toJob, type ImportJobRow } from '@docprocessor/db';
import type { Logger } from 'pino';

const MIN_INTERVAL_MS = 100;
const MAX_SILENCE_MS = 1000;
/**
 * A progress event whose ack is lost (its stream leader died with it) holds up every later one and the job's final
 * event: with the connection's 10 s a cluster node's death stalled the events of every job for 10 s. The next
 * progress event says the same and more, so this one is given up on sooner.
 */
const PROGRESS_ACK_WAIT_MS = 2000;

export interface ReporterClock {
  lastSentAt: number;
  /** When the latest state's transaction began. */
  lastCommitAt: number;
  /** The latest state is out already (a commit within 100 ms of the previous event waits for the timer). */
  latestSent: boolean;
}

/**
 * Whether the timer sends now. A state not yet sent goes out once 100 ms have passed since the last event.
 * A state already sent is repeated after a second of silence, but only while commits keep coming: a worker
 * hung on the database must fall silent before its job can be taken from it (`quietAfterMs` is half that
 * time), or its heartbeats would follow the next attempt's events and the job's final event.
 */
export function sendsOnTick(now: number, clock: ReporterClock, quietAfterMs: number): boolean {
  if (!clock.latestSent) return now - clock.lastSentAt >= MIN_INTERVAL_MS;
  return now - clock.lastSentAt >= MAX_SILENCE_MS && now - clock.lastCommitAt < quietAfterMs;
}

/**
 * Progress events from committed state only, at most every 100 ms and at least every second while rows
 * are being committed. One publish is out at a time, so events leave in order and counts never go backwards; a state
 * committed meanwhile replaces the one waiting. (Queued one behind the other, the states of a stretch without acks
 * went out 2 s apart long after it, some after a newer attempt's events for the same job.)
 */
export class ProgressReporter {
  private latest: ImportJobRow;
  private readonly clock: ReporterClock;
  private readonly quietAfterMs: number;
  /** The publish that is out, if any, and whether a state newer than its own waits for it to end. */
  private inFlight: Promise<void> | null = null;
  private newerWaits = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly bus: Bus,
    private readonly logger: Logger,
    job: ImportJobRow,
    /** The claimed state, already published as `started`; `committedAt`: when the claim was sent (this machine's clock). */
    { committedAt, quietAfterMs }: { committedAt: number; quietAfterMs: number },
  ) {
    this.latest = job;
    // The claimed state went out as the `started` event just before.
    this.clock = { lastSentAt: Date.now(), lastCommitAt: committedAt, latestSent: true };
    this.quietAfterMs = quietAfterMs;
    this.timer = setInterval(() => {
      if (sendsOnTick(Date.now(), this.clock, this.quietAfterMs)) this.send();
    }, MIN_INTERVAL_MS);
    this.timer.unref();
  }

  /** A newly committed state; `committedAt` is when its transaction began (this machine's clock). */
  update(job: ImportJobRow, committedAt: number): void {
    this.latest = job;
    this.clock.latestSent = false;
    this.clock.lastCommitAt = committedAt;
    if (Date.now() - this.clock.lastSentAt >= MIN_INTERVAL_MS) this.send();
  }

  /**
   * Stops the heartbeat and waits for the publish that is out, before a final event follows. The latest state goes
   * out too if it is still waiting, unless the attempt is being abandoned: a newer attempt may hold the job by then,
   * and this attempt's state would follow that attempt's events.
   */
  async stop({ sendLatest }: { sendLatest: boolean }): Promise<void> {
    clearInterval(this.timer);
    if (!sendLatest) this.newerWaits = false;
    while (this.inFlight) await this.inFlight;
    this.stopped = true;
  }

  private send(): void {
    this.clock.lastSentAt = Date.now();
    this.clock.latestSent = true;
    if (this.stopped) return;
    if (this.inFlight) this.newerWaits = true;
    else this.publishLatest();
  }

  private publishLatest(): void {
    const row = this.latest;
    this.inFlight = publishEvent(this.bus, 'progress', toJob(row), {
      tenantId: row.tenantId,
      dedupe: false,
      timeoutMs: PROGRESS_ACK_WAIT_MS,
    }).then(
      () => this.published(),
      (error: unknown) => {
        this.logger.warn({ err: error, jobId: row.id }, 'progress event not published');
        this.published();
      },
    );
  }

  private published(): void {
    this.inFlight = null;
    if (!this.newerWaits) return;
    this.newerWaits = false;
    this.publishLatest();
  }
}
