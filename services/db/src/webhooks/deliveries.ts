import { type DeliveryAttempt, type EventType, WEBHOOK_ATTEMPTS_KEPT } from '@docprocessor/contracts';
import type { Queries, Sql } from '../client.js';

/** One job event as it sits in the stream: its sequence orders a job's events and deduplicates a redelivery. */
export interface RecordedEvent {
  tenantId: string;
  jobId: string;
  event: EventType;
  streamSeq: number;
  /** The event JSON exactly as published: what is sent and signed. */
  body: string;
}

/** A delivery for every webhook of the tenant that asked for this event; a repeat of the same event adds none. */
export async function recordDeliveries(sql: Queries, event: RecordedEvent): Promise<number> {
  const rows = await sql`
    insert into webhook_deliveries (webhook_id, job_id, event, stream_seq, body)
    select id, ${event.jobId}, ${event.event}, ${event.streamSeq}, ${event.body}
    from webhooks where tenant_id = ${event.tenantId} and events ? ${event.event}
    on conflict (webhook_id, stream_seq) do nothing
    returning id`;
  return rows.length;
}

export interface DueDelivery {
  id: number;
  jobId: string;
  url: string;
  secret: string;
  event: EventType;
  body: string;
  attemptCount: number;
  createdAt: Date;
}

export type DeliveryOutcome =
  | { delivered: true; attempt: DeliveryAttempt }
  | { delivered: false; attempt: DeliveryAttempt; retryAt: Date | null };

/**
 * Takes the next delivery that is due and is the earliest still pending of its job for its webhook (so a job's
 * events arrive in order), hands it to `send` while holding its row lock (other senders skip it), and records the
 * outcome in the same transaction. Resolves false when nothing is due.
 */
export async function sendNextDue(sql: Sql, send: (delivery: DueDelivery) => Promise<DeliveryOutcome>): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [due] = await tx<DueDelivery[]>`
      select d.id, d.job_id as "jobId", w.url, w.secret, d.event, d.body, d.attempt_count as "attemptCount", d.created_at as "createdAt"
      from webhook_deliveries d join webhooks w on w.id = d.webhook_id
      where d.status = 'pending' and d.next_attempt_at <= now()
        and not exists (
          select 1 from webhook_deliveries e
          where e.webhook_id = d.webhook_id and e.job_id = d.job_id and e.status = 'pending' and e.stream_seq < d.stream_seq)
      order by d.next_attempt_at, d.id
      limit 1
      for update of d skip locked`;
    if (!due) return false;
    const outcome = await send({ ...due, createdAt: new Date(due.createdAt) });
    const attempts = tx`(attempts || ${JSON.stringify([outcome.attempt])}::jsonb)`;
    const kept = tx`jsonb_path_query_array(${attempts}, ${`$[last - ${WEBHOOK_ATTEMPTS_KEPT - 1} to last]`}::jsonpath)`;
    if (outcome.delivered)
      await tx`update webhook_deliveries set status = 'delivered', delivered_at = now(), attempt_count = attempt_count + 1,
               attempts = ${kept} where id = ${due.id}`;
    else
      await tx`update webhook_deliveries set attempt_count = attempt_count + 1, attempts = ${kept},
               status = ${outcome.retryAt ? 'pending' : 'dead'},
               next_attempt_at = coalesce(${outcome.retryAt?.toISOString() ?? null}::timestamptz, next_attempt_at)
               where id = ${due.id}`;
    return true;
  });
}

/**
 * When the next delivery that may be sent falls due (the earliest pending of its job, per webhook), for the sender
 * to sleep until then; null when none is pending.
 */
export async function nextDueAt(sql: Queries): Promise<Date | null> {
  const [row] = await sql<{ at: Date | null }[]>`
    select min(next_attempt_at) as at from webhook_deliveries d
    where status = 'pending' and not exists (
      select 1 from webhook_deliveries e
      where e.webhook_id = d.webhook_id and e.job_id = d.job_id and e.status = 'pending' and e.stream_seq < d.stream_seq)`;
  return row?.at ? new Date(row.at) : null;
}
