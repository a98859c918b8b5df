import { For, Show } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { formatTime } from '../lib/format';
import { timelineOf } from '../lib/timeline';

/** What happened to the job, in order: the place to see that a crash was survived. */
export function JobTimeline(props: { job: Job }) {
  return (
    <section class="card timeline-card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <ol class="timeline" data-testid="job-timeline">
        <For each={timelineOf(props.job)}>
          {(entry) => (
            <li class={`timeline-entry timeline-${entry.kind}`} data-testid="timeline-entry" data-kind={entry.kind}>
              <Show when={entry.at} fallback={<span class="timeline-time muted">—</span>}>
                {(at) => (
                  <time class="timeline-time" datetime={at()}>
                    {formatTime(at())}
                  </time>
                )}
              </Show>
              <span>{entry.text}</span>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}
