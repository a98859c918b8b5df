import { createMemo, Match, Switch } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { formatDuration, formatRate } from '../lib/format';
import { throughputSeries, type ProgressSample, type ThroughputPoint, type ThroughputSeries } from '../lib/throughput-series';

// The drawing's own units; the SVG stretches to the card's width at a fixed height (styles.css), so nothing moves.
const WIDTH = 300;
const HEIGHT = 80;

/**
 * Rows per second over the job's run, from the progress events this page received (a step per stretch of the
 * run), or the run's average as a flat line when the page only saw the job after it ended.
 */
export function ThroughputChart(props: { job: Job; samples: readonly ProgressSample[] }) {
  const series = createMemo(() => throughputSeries(props.job, props.samples));
  const measured = () => kindOf(series(), 'measured');
  const average = () => kindOf(series(), 'average');
  return (
    <figure class="throughput" data-testid="throughput-chart" data-kind={series().kind}>
      <Switch>
        <Match when={measured()}>
          {(m) => (
            <>
              <Plot
                path={stepPath(m().points, m().seconds, niceCeiling(m().peak))}
                top={niceCeiling(m().peak)}
                from={m().startSecond}
                seconds={m().seconds}
                label={`Rows per second over ${formatDuration(m().seconds)}: ${figuresText(m().peak, m().average)}`}
              />
              <figcaption class="throughput-figures" data-testid="throughput-figures">
                <span>
                  Peak <strong>{formatRate(m().peak)}</strong>
                </span>
                <span>
                  Average <strong>{formatRate(m().average)}</strong>
                </span>
              </figcaption>
            </>
          )}
        </Match>
        <Match when={average()}>
          {(a) => (
            <>
              <Plot
                path={`M0 ${yOf(a().average, niceCeiling(a().average)).toFixed(2)} H${WIDTH}`}
                top={niceCeiling(a().average)}
                from={0}
                seconds={a().seconds}
                label={`Average ${formatRate(a().average)} over ${formatDuration(a().seconds)}; the rate over time was not recorded`}
              />
              <figcaption class="throughput-figures" data-testid="throughput-figures">
                <span>
                  Average <strong>{formatRate(a().average)}</strong>
                </span>
                <span class="hint">Only a run this page saw live is drawn over time; this is its average.</span>
              </figcaption>
            </>
          )}
        </Match>
        <Match when={true}>
          <div class="throughput-plot throughput-empty">
            <p class="muted">
              {props.job.status === 'pending' ? 'Rows per second appear here once the import starts.' : 'Measuring rows per second…'}
            </p>
          </div>
          <figcaption class="throughput-figures" aria-hidden="true">
            &nbsp;
          </figcaption>
        </Match>
      </Switch>
    </figure>
  );
}

const figuresText = (peak: number, average: number): string => `peak ${formatRate(peak)}, average ${formatRate(average)}`;

const kindOf = <K extends ThroughputSeries['kind']>(series: ThroughputSeries, kind: K) =>
  series.kind === kind ? (series as Extract<ThroughputSeries, { kind: K }>) : undefined;

/** The x axis is time into the run: from the first sample the page saw to its last. */
function Plot(props: { path: string; top: number; from: number; seconds: number; label: string }) {
  return (
    <div class="throughput-plot">
      <span class="throughput-axis throughput-axis-top" aria-hidden="true">
        {formatRate(props.top)}
      </span>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={props.label} data-testid="throughput-svg">
        <path class="throughput-area" d={`${props.path} V${HEIGHT} H0 Z`} />
        <path class="throughput-line" d={props.path} vector-effect="non-scaling-stroke" />
      </svg>
      <span class="throughput-axis throughput-axis-start" aria-hidden="true">
        {axisTime(props.from)}
      </span>
      <span class="throughput-axis throughput-axis-end" aria-hidden="true">
        {axisTime(props.from + props.seconds)}
      </span>
    </div>
  );
}

const axisTime = (seconds: number): string => (seconds < 0.005 ? '0 s' : formatDuration(seconds));

const yOf = (rate: number, top: number): number => HEIGHT - (top > 0 ? (rate / top) * HEIGHT : 0);

/** A step per stretch: flat at the stretch's rate from its start to its end. */
export function stepPath(points: readonly ThroughputPoint[], seconds: number, top: number): string {
  const xOf = (s: number) => (seconds > 0 ? (s / seconds) * WIDTH : 0);
  let path = '';
  for (const point of points) {
    const y = yOf(point.rowsPerSecond, top).toFixed(2);
    path += `${path === '' ? `M0 ${y}` : ` V${y}`} H${xOf(point.seconds).toFixed(2)}`;
  }
  return path || `M0 ${HEIGHT}`;
}

/** The axis' top: the peak rounded up to a round number (1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.5, 2, 3, 4, 5, 6, 8, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}
