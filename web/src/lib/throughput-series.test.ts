import { describe, expect, it } from 'vitest';
import { makeJob } from '../testing/factories';
import { MAX_POINTS, MAX_SAMPLES, stretchMs, throughputSeries, withSample, type ProgressSample } from './throughput-series';

const T0 = Date.parse('2025-01-01T10:00:00.000Z');
const running = makeJob({ status: 'processing', startedAt: '2025-01-01T10:00:00.000Z' });

/** A sample every `everyMs` for `seconds`, at `rate(second)` rows per second. */
function run(seconds: number, everyMs: number, rate: (second: number) => number): ProgressSample[] {
  const samples: ProgressSample[] = [{ at: T0, rows: 0 }];
  for (let ms = everyMs; ms <= seconds * 1000; ms += everyMs) {
    const previous = samples.at(-1)!;
    samples.push({ at: T0 + ms, rows: previous.rows + (rate(Math.floor((ms - 1) / 1000)) * everyMs) / 1000 });
  }
  return samples;
}

describe('throughputSeries', () => {
  it('turns progress samples into rates over stretches of a twentieth of the run', () => {
    const series = throughputSeries(
      running,
      run(10, 250, () => 1000),
    );
    expect(series.kind).toBe('measured');
    if (series.kind !== 'measured') return;
    expect(series.points).toHaveLength(20);
    expect(series.points.slice(0, 3).map((p) => p.seconds)).toEqual([0.5, 1, 1.5]);
    expect(series.points.every((p) => p.rowsPerSecond === 1000)).toBe(true);
    expect(series).toMatchObject({ seconds: 10, peak: 1000, average: 1000, startSecond: 0 });
  });

  it('finds the peak stretch and averages over the samples seen, in any arrival order', () => {
    const samples = run(12, 1000, (second) => (second === 3 ? 5000 : 1000));
    const series = throughputSeries(running, [...samples].reverse());
    if (series.kind !== 'measured') throw new Error(series.kind);
    expect(series.peak).toBe(5000);
    expect(series.points.map((p) => p.rowsPerSecond)).toEqual([1000, 1000, 1000, 5000, ...Array<number>(8).fill(1000)]);
    expect(series.average).toBeCloseTo(16_000 / 12);
  });

  it('draws a long run in at most MAX_POINTS stretches', () => {
    const series = throughputSeries(
      running,
      run(3600, 1000, () => 200),
    );
    if (series.kind !== 'measured') throw new Error(series.kind);
    expect(series.points.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(series.points.at(-1)?.seconds).toBe(3600);
    expect(series.peak).toBeCloseTo(200);
  });

  it('gives an ended job the average over its run (as the jobs table shows), not only over the samples seen', () => {
    const done = makeJob({
      status: 'completed',
      processedRows: 20_000,
      startedAt: '2025-01-01T10:00:00.000Z',
      finishedAt: '2025-01-01T10:00:10.000Z',
    });
    const late = run(4, 500, () => 3000).map((s) => ({ ...s, at: s.at + 6000 }));
    const series = throughputSeries(done, late);
    expect(series).toMatchObject({ kind: 'measured', peak: 3000, average: 2000, startSecond: 6 });
  });

  it('has only the average for a job that ended before the page saw it run', () => {
    const done = makeJob({
      status: 'completed',
      processedRows: 9000,
      startedAt: '2025-01-01T10:00:00.000Z',
      finishedAt: '2025-01-01T10:00:04.500Z',
    });
    expect(throughputSeries(done, [])).toEqual({ kind: 'average', seconds: 4.5, average: 2000 });
  });

  it('has nothing to draw before two samples of a running job, or for a job that never started', () => {
    expect(throughputSeries(makeJob({ status: 'pending' }), [])).toEqual({ kind: 'none' });
    expect(throughputSeries(running, [{ at: T0, rows: 100 }])).toEqual({ kind: 'none' });
    expect(throughputSeries(makeJob({ status: 'cancelled', startedAt: null, finishedAt: '2025-01-01T10:00:04.500Z' }), [])).toEqual({
      kind: 'none',
    });
  });
});

describe('stretchMs', () => {
  it('is a twentieth of the run, from 100 ms to a second, and never more than MAX_POINTS of them', () => {
    expect([700, 10_000, 60_000, 3_600_000].map(stretchMs)).toEqual([100, 500, 1000, 60_000]);
  });
});

describe('withSample', () => {
  it('ignores a sample no newer than the last (the same state again from a snapshot)', () => {
    const held = [
      { at: T0, rows: 0 },
      { at: T0 + 1000, rows: 50 },
    ];
    expect(withSample(held, { at: T0 + 1000, rows: 50 })).toBe(held);
    expect(withSample(held, { at: T0 + 500, rows: 20 })).toBe(held);
    expect(withSample(held, { at: T0 + 2000, rows: 90 })).toEqual([...held, { at: T0 + 2000, rows: 90 }]);
  });

  it('thins a long history to half, keeping the first and the newest sample', () => {
    let samples: readonly ProgressSample[] = [];
    for (let i = 0; i <= MAX_SAMPLES; i++) samples = withSample(samples, { at: T0 + i * 100, rows: i });
    expect(samples.length).toBeLessThanOrEqual(MAX_SAMPLES / 2 + 1);
    expect(samples[0]).toEqual({ at: T0, rows: 0 });
    expect(samples.at(-1)).toEqual({ at: T0 + MAX_SAMPLES * 100, rows: MAX_SAMPLES });
  });
});
