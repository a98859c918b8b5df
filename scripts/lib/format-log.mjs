// The services log pino JSON lines; on a terminal we show them as "12:00:01 INFO message {fields}".
import { paint } from './log.mjs';

const LEVELS = {
  10: ['TRACE', '90'],
  20: ['DEBUG', '90'],
  30: ['INFO ', '32'],
  40: ['WARN ', '33'],
  50: ['ERROR', '31'],
  60: ['FATAL', '31'],
};
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'err']);

export function formatLogLine(line) {
  if (!line.startsWith('{')) return line;
  let record;
  try {
    record = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof record.level !== 'number' || typeof record.time !== 'number') return line;
  const [label, color] = LEVELS[record.level] ?? [String(record.level), '0'];
  const time = new Date(record.time).toTimeString().slice(0, 8);
  const fields = Object.fromEntries(Object.entries(record).filter(([key]) => !HIDDEN.has(key)));
  const extra = Object.keys(fields).length ? ` ${paint('90', JSON.stringify(fields))}` : '';
  const stack = record.err?.stack ? `\n${record.err.stack}` : record.err ? `\n${JSON.stringify(record.err)}` : '';
  return `${paint('90', time)} ${paint(color, label)} ${record.msg ?? ''}${extra}${stack}`;
}
