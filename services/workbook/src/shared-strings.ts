import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * The plain text of each entry of a workbook's shared-string table (xl/sharedStrings.xml), in order: the text of
 * every run of a rich-text entry, without the phonetic guides (`rPh`) Japanese workbooks carry. Only the text is
 * kept, so the table costs its characters and no more. Read as UTF-8 with one decoder for the whole part.
 */
export async function readSharedStrings(part: Readable): Promise<string[]> {
  const strings: string[] = [];
  const parser = new SaxesParser();
  let text = '';
  let inText = false;
  let phonetic = 0;
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (name === 't') inText = phonetic === 0 && !tag.isSelfClosing;
    else if (name === 'rPh') phonetic++;
    else if (name === 'si') text = '';
  });
  const onText = (chunk: string) => {
    if (inText) text += chunk;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === 't') inText = false;
    else if (name === 'rPh') phonetic--;
    else if (name === 'si') strings.push(text);
  });
  part.setEncoding('utf8');
  for await (const chunk of part) {
    parser.write(chunk as string);
    if (failure) throw failure;
  }
  parser.close();
  if (failure) throw failure;
  return strings;
}
