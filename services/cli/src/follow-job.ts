import WebSocket from 'ws';
import { API_KEY_HEADER, isTerminal, type Job, ServerFrame } from '@docprocessor/contracts';
import { ConnectionError } from './stream-upload.js';

/**
 * Follows one job over /ws until it reaches a final status: the snapshot the subscription starts with, then every
 * event. Resolves with the final job; `onChange` sees each state on the way. A dropped socket reconnects (the
 * snapshot catches up what was missed), so a gateway restart costs a moment, not the follow.
 */
export function followJob(url: string, key: string, jobId: string, onChange: (job: Job) => void): Promise<Job> {
  const wsUrl = new URL('/ws', url);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  return new Promise<Job>((resolve, reject) => {
    let done = false;
    let failures = 0;
    const connect = () => {
      const socket = new WebSocket(wsUrl, { headers: { [API_KEY_HEADER]: key } });
      socket.on('open', () => {
        failures = 0;
        socket.send(JSON.stringify({ op: 'subscribe', jobId }));
      });
      socket.on('message', (data) => {
        const frame = ServerFrame.safeParse(parseFrame(data.toString()));
        if (!frame.success) return;
        if (frame.data.type === 'error') {
          done = true;
          socket.close();
          return reject(new ConnectionError(`the server refused to follow the job: ${frame.data.error.message}`));
        }
        const jobs = frame.data.type === 'snapshot' ? frame.data.jobs : [frame.data.job];
        for (const job of jobs.filter((j) => j.id === jobId)) {
          onChange(job);
          if (isTerminal(job.status)) {
            done = true;
            socket.close();
            return resolve(job);
          }
        }
      });
      socket.on('unexpected-response', (_req, res) => {
        done = true;
        reject(new ConnectionError(`cannot follow the job: /ws answered ${res.statusCode}`));
      });
      socket.on('error', () => {}); // 'close' follows and decides
      socket.on('close', () => {
        if (done) return;
        if (++failures > 10) return reject(new ConnectionError(`lost ${url}/ws and could not reconnect`));
        setTimeout(connect, Math.min(5000, 250 * 2 ** failures));
      });
    };
    connect();
  });
}

function parseFrame(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
