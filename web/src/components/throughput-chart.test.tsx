import { render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { makeJob } from '../testing/factories';
import type { ProgressSample } from '../lib/throughput-series';
import { niceCeiling, stepPath, ThroughputChart } from './throughput-chart';

const T0 = Date.parse('2025-01-01T10:00:00.000Z');
const running = makeJob({ status: 'processing', startedAt: '2025-01-01T10:00:00.000Z' });
const samples = (...rows: number[]): ProgressSample[] => rows.map((r, i) => ({ at: T0 + i * 1000, rows: r }));

describe('ThroughputChart', () => {
  it('draws the measured rates as an image whose label gives the peak and the average', () => {
    render(() => <ThroughputChart job={running} samples={samples(0, 150_000, 360_000, 540_000)} />);
    const chart = screen.getByRole('img');
    expect(chart.getAttribute('aria-label')).toBe('Rows per second over 3.0 s: peak 210,000 rows/s, average 180,000 rows/s');
    expect(screen.getByTestId('throughput-chart').dataset.kind).toBe('measured');
    expect(screen.getByTestId('throughput-figures').textContent).toBe('Peak 210,000 rows/sAverage 180,000 rows/s');
    expect(screen.getByText('300,000 rows/s')).toBeTruthy(); // the axis' round top
    expect(screen.getByText('0 s')).toBeTruthy();
    expect(screen.getByText('3.0 s')).toBeTruthy();
  });

  it('follows new samples in place, keeping the same elements (no layout jump)', () => {
    const [held, setHeld] = createSignal(samples(0, 100, 200));
    render(() => <ThroughputChart job={running} samples={held()} />);
    const plot = screen.getByTestId('throughput-svg');
    setHeld(samples(0, 100, 200, 700));
    expect(screen.getByTestId('throughput-svg')).toBe(plot);
    expect(screen.getByText('3.0 s')).toBeTruthy();
    expect(plot.getAttribute('aria-label')).toContain('peak 500 rows/s');
  });

  it('shows a finished job the page did not see run as a flat average, and says so', () => {
    const done: Job = makeJob({
      status: 'completed',
      processedRows: 36_000,
      startedAt: '2025-01-01T10:00:00.000Z',
      finishedAt: '2025-01-01T10:00:12.000Z',
    });
    render(() => <ThroughputChart job={done} samples={[]} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Average 3,000 rows/s over 12 s; the rate over time was not recorded');
    expect(screen.getByTestId('throughput-figures').textContent).toContain('Only a run this page saw live is drawn over time');
  });

  it('draws nothing while a job waits, but keeps its place', () => {
    render(() => <ThroughputChart job={makeJob({ status: 'pending' })} samples={[]} />);
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByTestId('throughput-chart').textContent).toContain('once the import starts');
  });
});

describe('stepPath and niceCeiling', () => {
  it('steps at each stretch’s rate from its start to its end, in the 300 × 80 drawing', () => {
    const path = stepPath(
      [
        { seconds: 1, rowsPerSecond: 100 },
        { seconds: 4, rowsPerSecond: 50 },
      ],
      4,
      100,
    );
    expect(path).toBe('M0 0.00 H75.00 V40.00 H300.00');
  });

  it('rounds the axis up to a round number', () => {
    expect([0, 7, 10, 11, 180_000, 210_000, 600].map(niceCeiling)).toEqual([1, 8, 10, 15, 200_000, 300_000, 600]);
  });
});
