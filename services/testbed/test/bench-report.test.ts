import { describe, expect, it } from 'vitest';
import { MAIN_THREAD } from '../src/bench/cpu-accounting.js';
import { cpuTable, newFigure, recordRun, rssText } from '../src/bench/report.js';
import type { PipelineRun } from '../src/bench/measure.js';

const run = (seconds: number, uploadSeconds: number, cpu: Record<string, number>, uploadCpu: Record<string, number>) =>
  ({
    seconds,
    uploadSeconds,
    pickupSeconds: 0,
    tailSeconds: 0,
    job: {},
    cpu: new Map(Object.entries(cpu)),
    uploadCpu: new Map(Object.entries(uploadCpu)),
  }) as PipelineRun;

describe("the bench's CPU accounting", () => {
  it('splits CPU at the upload and bounds the wall time on more cores by what one job cannot spread', () => {
    const figure = newFigure('empty table', 'new rows', 1000, 1);
    // Upload: 0.8 s of CPU in 0.5 s. Processing: 3.0 s of CPU in 2.5 s, of which the processor 2.0 s, its main thread 1.6 s.
    recordRun(
      figure,
      run(
        3,
        0.5,
        { processor: 2.1, [MAIN_THREAD]: 1.7, 'PostgreSQL backends': 1.0, ingest: 0.7 },
        { processor: 0.1, [MAIN_THREAD]: 0.1, ingest: 0.7 },
      ),
    );
    const table = cpuTable(figure);
    // The main thread is a part of the processor's CPU, not counted twice.
    expect(table).toMatch(/ {6}of which its main thread +1\.70 s +\(V8's helper threads 0\.40 s\)/);
    expect(table).toMatch(/all +3\.80 s/);
    expect(table).toContain('upload+store 0.80 s CPU in 0.50 s = 1.60 cores busy');
    expect(table).toContain('processing 3.00 s CPU in 2.50 s = 1.20 cores busy');
    // 0.8 / 4 + max(1.6, 3.0 / 4); 0.8 / 8 + 1.6
    expect(table).toContain('with 4 cores 1.80 s, with 8 cores 1.70 s (each phase: its CPU / cores, and processing at least');
    expect(table).toContain("processing at least the processor's main thread's 1.60 s)");
    // max(1.7, 3.8 / N)
    expect(table).toContain("with 2 cores 1.90 s, 4 cores 1.70 s, 8 cores 1.70 s (the larger of the processor's main thread's CPU");
  });

  it("names PostgreSQL's backend as the floor when it works longer than the processor", () => {
    const figure = newFigure('empty table', 'update path', 1000, 1);
    recordRun(figure, run(6, 0.5, { processor: 1.5, [MAIN_THREAD]: 1.3, 'PostgreSQL backends': 4.0, NATS: 0.5 }, { NATS: 0.4 }));
    expect(cpuTable(figure)).toContain("processing at least PostgreSQL's 4.00 s");
  });
});

describe("the bench's memory line", () => {
  it("gives a peak in MiB and in the issue's MB, and judges the goal in MB", () => {
    expect(rssText('ingest', 122)).toBe('ingest 122 MiB = 128 MB (goal ≤ 128 MB: met)');
    expect(rssText('ingest', 124)).toBe('ingest 124 MiB = 130 MB (goal ≤ 128 MB: NOT met)');
    expect(rssText('processor', 205)).toBe('processor 205 MiB = 215 MB (goal ≤ 256 MB: met)');
    expect(rssText('processor', null)).toBe('processor ?');
  });
});
