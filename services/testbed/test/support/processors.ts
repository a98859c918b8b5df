import { stopProcess, type RunningService, type Stack } from '../../src/stack.js';

/** The stack's processors that are still running. */
export const liveProcessors = (stack: Stack): RunningService[] =>
  stack.services.filter((s) => s.name === 'processor' && s.child.exitCode === null && s.child.signalCode === null);

/** SIGKILL, as a power cut would: no batch boundary, no hand-back. */
export async function killProcessors(stack: Stack, which = liveProcessors(stack)): Promise<number> {
  await Promise.all(which.map((s) => stopProcess(s.child, 'SIGKILL')));
  return which.length;
}

/** Starts `count` more processors and waits until each says it is ready to consume. */
export async function startProcessors(stack: Stack, count: number, env: Record<string, string> = {}): Promise<RunningService[]> {
  const started = Array.from({ length: count }, () => stack.spawn('processor', env));
  await stack.processorsReady();
  return started;
}

/** The live processor that claimed the job last (from its `job claimed` log lines), if any. */
export function holderOf(stack: Stack, jobId: string): RunningService | undefined {
  let best: { service: RunningService; attempt: number } | undefined;
  for (const service of liveProcessors(stack)) {
    for (const line of service.logs.join('').split('\n')) {
      if (!line.includes('"msg":"job claimed"') || !line.includes(`"jobId":"${jobId}"`)) continue;
      const attempt = Number(/"attempt":(\d+)/.exec(line)?.[1] ?? 0);
      if (!best || attempt > best.attempt) best = { service, attempt };
    }
  }
  return best?.service;
}
