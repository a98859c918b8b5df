import type { JsMsg } from '@nats-io/jetstream';
import { smallFileConsumer, type ImportEvent } from '@docprocessor/contracts';
import { isWorkItemWaiting } from '@docprocessor/bus';
import type { ProcessorContext } from '../context.js';
import type { WorkLane } from './consume.js';

/**
 * The small-file lane (docs/operations.md, "Fairness"): `SMALL_FILE_SLOTS` extra slots that read every work item
 * from a consumer of their own and run a small job only while the shared consumer has not handed it to anyone, i.e.
 * while it waits behind other jobs. Whichever delivery claims the job first runs it; the other finds it held or
 * final, as after any redelivery. A redelivered lane item (its lane worker went silent) is resumed like any other.
 */
export function smallFileLane(ctx: ProcessorContext): WorkLane {
  return {
    name: 'small',
    consumer: smallFileConsumer(ctx.bus.names),
    slots: ctx.config.SMALL_FILE_SLOTS,
    accepts: async (event: ImportEvent, message: JsMsg) => {
      if (event.job.sizeBytes > ctx.config.SMALL_FILE_MAX_BYTES) return false;
      if (message.info.deliveryCount > 1) return true;
      try {
        return await isWorkItemWaiting(ctx.bus, message.info.streamSequence);
      } catch (error) {
        // The shared consumer still holds the item: passing it over costs this job its head start, nothing more.
        ctx.logger.warn({ err: error, jobId: event.jobId }, 'could not look at the shared work queue; leaving the job to it');
        return false;
      }
    },
  };
}
