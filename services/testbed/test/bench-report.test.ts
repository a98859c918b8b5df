import { describe, expect, it } from 'vitest';
import { cpuTable, newFigure, recordRun } from '../src/bench/report.js';
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
    // Upload: 1.0 s of CPU in 0.5 s. Processing: 3.0 s of CPU in 2.5 s, of which the processor 2.0 s.
    recordRun(figure, run(3, 0.5, { processor: 2.1, 'PostgreSQL backends': 1.0, ingest: 0.9 }, { processor: 0.1, ingest: 0.9 }));
    const table = cpuTable(figure);
    expect(table).toContain('upload+store 1.00 s CPU in 0.50 s = 2.00 cores busy');
    expect(table).toContain('processing 3.00 s CPU in 2.50 s = 1.20 cores busy');
    // 1.0 / 4 + max(2.0, 3.0 / 4); 1.0 / 8 + 2.0
    expect(table).toContain(
      "with 4 cores 2.25 s, with 8 cores 2.13 s (each phase: its CPU / cores, and processing at least the processor's 2.00 s)",
    );
    // max(2.1, 4.0 / N)
    expect(table).toContain("with 2 cores 2.10 s, 4 cores 2.10 s, 8 cores 2.10 s (the larger of the processor's CPU");
  });

  it("names PostgreSQL's backend as the floor when it works longer than the processor", () => {
    const figure = newFigure('empty table', 'update path', 1000, 1);
    recordRun(figure, run(6, 0.5, { processor: 1.5, 'PostgreSQL backends': 4.0, NATS: 0.5 }, { NATS: 0.4 }));
    expect(cpuTable(figure)).toContain("processing at least PostgreSQL's 4.00 s");
  });
});
