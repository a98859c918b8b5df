const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** The record delimiter, found as csv-parse finds it: the first line end outside quotes. */
export type LineEnd = '\n' | '\r\n';

/** What scanning the text so far came to. */
const INCOMPLETE = -1;
const HAND_OVER = -2;

/**
 * A fast reader for the CSV that nearly every file is: fields plain or quoted with `""` escapes, one
 * kind of line end. It reads records exactly as csv-parse does with our options (checked against it
 * on random input in csv-scanner.test.ts) and is several times faster, because it slices whole
 * fields out of decoded text instead of handling one byte at a time.
 *
 * Anything it does not handle (a stray quote, text after a closing quote, a bare CR line end, a
 * line end that changes kind, an unclosed quote, a record near the size limit) is not judged here:
 * the scanner stops at the start of that record and csv-parse reads the rest of the file, so its
 * errors and its leniencies stay the only ones.
 */
export class CsvScanner {
  private text = '';
  private started = false;
  private stopped = false;
  private lineEndKind: LineEnd | null = null;
  private readonly delimiterCode: number;
  /** Where scan and nextSpecial last found each character in the text being scanned: -2 not searched yet, -1 none left. */
  private readonly stopsAt = { delimiter: -2, quote: -2, lf: -2, cr: -2 };
  /** Records handed out so far, the header included. */
  records = 0;

  constructor(
    private readonly delimiter: string,
    /** Longest record, in characters, this scanner reads itself. */
    private readonly maxRecordChars: number,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  get lineEnd(): LineEnd | null {
    return this.lineEndKind;
  }

  /** The text csv-parse must read before the rest of the file, once the scanner has handed over. */
  get remainder(): string {
    return this.text;
  }

  /** Adds decoded text; complete records go to `out`. False once the rest of the file is csv-parse's. */
  push(chunk: string, out: string[][]): boolean {
    if (this.stopped) return false;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // csv-parse's bom option
    }
    this.text = this.text.length === 0 ? chunk : this.text + chunk;
    return this.scan(out, false);
  }

  /** The end of the file: the last record may lack its line end. */
  finish(out: string[][]): boolean {
    if (this.stopped) return false;
    return this.scan(out, true);
  }

  private scan(out: string[][], final: boolean): boolean {
    const text = this.text;
    const at = this.stopsAt;
    at.delimiter = at.quote = at.lf = at.cr = -2;
    let pos = 0;
    while (pos < text.length) {
      let next: number;
      if (this.lineEndKind === null) next = this.quotedRecord(text, pos, final, out);
      else {
        // The next line end and quote, from the positions nextSpecial remembers (searched again once passed).
        if (at.lf !== -1 && at.lf < pos) at.lf = text.indexOf('\n', pos);
        if (at.quote !== -1 && at.quote < pos) at.quote = text.indexOf('"', pos);
        const lf = at.lf;
        const quote = at.quote;
        next =
          quote === -1 || (lf !== -1 && quote > lf)
            ? this.plainRecord(text, pos, lf, final, out)
            : this.quotedRecord(text, pos, final, out);
      }
      if (next === INCOMPLETE) {
        if (text.length - pos > this.maxRecordChars) return this.handOver(text, pos);
        break;
      }
      if (next === HAND_OVER) return this.handOver(text, pos);
      pos = next;
    }
    this.text = pos === 0 ? text : text.slice(pos);
    return true;
  }

  private handOver(text: string, pos: number): false {
    this.stopped = true;
    this.text = text.slice(pos);
    return false;
  }

  /** A record without quotes, its line end known: split the line. */
  private plainRecord(text: string, pos: number, lf: number, final: boolean, out: string[][]): number {
    let end: number;
    let next: number;
    if (lf === -1) {
      if (!final) return INCOMPLETE;
      end = next = text.length;
    } else if (this.lineEndKind === '\r\n') {
      if (text.charCodeAt(lf - 1) !== CR || lf === pos) return HAND_OVER; // a bare LF inside a CRLF file
      end = lf - 1;
      next = lf + 1;
    } else {
      end = lf;
      next = lf + 1;
    }
    return end > pos ? this.emit(out, this.split(text, pos, end), pos, next) : next;
  }

  /** The fields of text[pos, end). Searching the whole text measured a third faster than slicing the line and splitting it. */
  private split(text: string, pos: number, end: number): string[] {
    const fields: string[] = [];
    for (;;) {
      const at = text.indexOf(this.delimiter, pos);
      if (at === -1 || at >= end) {
        fields.push(text.slice(pos, end));
        return fields;
      }
      fields.push(text.slice(pos, at));
      pos = at + 1;
    }
  }

  /** Any record, one character class at a time: quoted fields, and the first line, whose end says which kind all are. */
  private quotedRecord(text: string, pos: number, final: boolean, out: string[][]): number {
    const len = text.length;
    const fields: string[] = [];
    let i = pos;
    for (;;) {
      if (i < len && text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) return final ? HAND_OVER : INCOMPLETE;
          if (q + 1 >= len && !final) return INCOMPLETE;
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        fields.push(value);
        if (i >= len) return this.emit(out, fields, pos, len);
        const c = text.charCodeAt(i);
        if (c === this.delimiterCode) {
          i++;
          continue;
        }
        const ended = this.lineEndAt(text, i, final);
        if (ended < 0) return ended;
        return this.emit(out, fields, pos, ended);
      }
      // An unquoted field runs to the delimiter or the line end.
      for (let k = this.nextSpecial(text, i); ; k = this.nextSpecial(text, k + 1)) {
        if (k >= len) {
          if (!final) return INCOMPLETE;
          if (fields.length === 0 && k === i) return len; // nothing but the end of the file
          fields.push(text.slice(i, k));
          return this.emit(out, fields, pos, len);
        }
        const c = text.charCodeAt(k);
        if (c === this.delimiterCode) {
          fields.push(text.slice(i, k));
          i = k + 1;
          break;
        }
        if (c === QUOTE) return HAND_OVER; // a stray quote: csv-parse's relax_quotes decides
        const ended = this.lineEndAt(text, k, final);
        if (ended === INCOMPLETE) return INCOMPLETE;
        if (ended === HAND_OVER) {
          if (c === CR && this.lineEndKind !== null) continue; // a lone CR is text in a file that ends lines otherwise
          return HAND_OVER;
        }
        if (fields.length === 0 && k === i) return ended; // an empty line, skipped like skip_empty_lines does
        fields.push(text.slice(i, k));
        return this.emit(out, fields, pos, ended);
      }
    }
  }

  /**
   * Where, at or after `from`, the next character an unquoted field stops at is (the delimiter, a quote, CR or LF), or
   * the text's length. Each is found by indexOf and remembered until passed, so a record costs a few native searches
   * instead of a comparison per character.
   */
  private nextSpecial(text: string, from: number): number {
    const at = this.stopsAt;
    if (at.delimiter !== -1 && at.delimiter < from) at.delimiter = text.indexOf(this.delimiter, from);
    if (at.quote !== -1 && at.quote < from) at.quote = text.indexOf('"', from);
    if (at.lf !== -1 && at.lf < from) at.lf = text.indexOf('\n', from);
    if (at.cr !== -1 && at.cr < from) at.cr = text.indexOf('\r', from);
    let next = text.length;
    if (at.delimiter !== -1 && at.delimiter < next) next = at.delimiter;
    if (at.quote !== -1 && at.quote < next) next = at.quote;
    if (at.lf !== -1 && at.lf < next) next = at.lf;
    if (at.cr !== -1 && at.cr < next) next = at.cr;
    return next;
  }

  /** At a line-end character outside quotes: where the next record starts, learning the kind of line end from the first. */
  private lineEndAt(text: string, k: number, final: boolean): number {
    const c = text.charCodeAt(k);
    if (k + 1 >= text.length && c === CR && !final) return INCOMPLETE;
    const crlf = c === CR && text.charCodeAt(k + 1) === LF;
    if (this.lineEndKind === null) {
      if (c === LF) this.lineEndKind = '\n';
      else if (crlf) this.lineEndKind = '\r\n';
      else return HAND_OVER; // old Mac line ends, or a quote closed by something else
    }
    if (this.lineEndKind === '\n') return c === LF ? k + 1 : HAND_OVER;
    return crlf ? k + 2 : HAND_OVER;
  }

  /**
   * Hands out the record that ran from `start` to `next`, or leaves one too long for us to csv-parse,
   * which measures it against the limit.
   */
  private emit(out: string[][], fields: string[], start: number, next: number): number {
    if (next - start > this.maxRecordChars + 2) return HAND_OVER;
    out.push(fields);
    this.records++;
    return next;
  }
}
