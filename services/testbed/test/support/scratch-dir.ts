import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScratchDir {
  path: string;
  remove(): Promise<void>;
}

/** A directory of the test's own under the system's temporary directory, removed by `remove()`. */
export async function scratchDir(label: string): Promise<ScratchDir> {
  const path = await mkdtemp(join(tmpdir(), `dp-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
