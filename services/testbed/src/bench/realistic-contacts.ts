/**
 * Contacts rows shaped like real exports (a CRM's or a spreadsheet's) rather than like the friendly "classic" file:
 * about half the text cells quoted, quotes and commas inside quoted cells, multi-line notes, non-ASCII names in
 * about a third of the rows, and empty optional cells. The values obey the contacts template's rules.
 */

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Mary Ann', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', "O'Neil", 'Smith-Jones'];
const FIRST_NON_ASCII = ['Zoë', 'José', 'Søren', 'Łukasz', 'Chloé', 'Jürgen', 'Dmitrij', 'Ana María', 'Ingrid', 'Björn', 'Дмитрий', '美咲'];
const LAST_NON_ASCII = ['Müller', 'García Márquez', 'Østergaard', 'Ślusarczyk', 'Nguyễn', 'Çelik', 'Dvořák', 'Ångström', 'Иванова', '山田'];
const COMPANIES = [
  'ACME',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay Industries',
  'Stark, Inc.',
  'Smith & Sons, Ltd.',
  'The "Best" Bakery',
  'Müller GmbH',
  'Société Générale',
];
const COUNTRIES = ['GB', 'us', 'DE', 'fr', 'NL', 'SE', 'JP', 'BR', 'IN', 'ZA'];
const NOTES = [
  'VIP customer',
  'called twice, no answer',
  'prefers "email" contact, not phone',
  'met at the fair; wants a quote',
  'said "call me back after 3pm", twice',
  'Umzug nach München, neue Adresse folgt',
  'paid late (invoice #1234)',
];
const MULTI_LINE_NOTES = [
  'first call: interested\nsecond call: wants a demo',
  'Address:\n221B Baker Street\nLondon',
  'note from import:\n"duplicate?" checked, no',
];

const BROKEN: Array<[number, string]> = [
  [1, 'not-an-email'],
  [5, 'XX'],
  [6, '2023-02-30'],
  [7, '-4.5'],
  [8, 'maybe'],
  [2, ''],
];

/** Columns holding free text (email, first_name, last_name, company, notes): the ones an export may quote. */
export const TEXT_COLUMNS = [1, 2, 3, 4, 9];

const twoDigits = (n: number) => String(n).padStart(2, '0');
const needsQuotes = (value: string): boolean => /[",\r\n]/.test(value);
const quoted = (value: string): string => `"${value.replaceAll('"', '""')}"`;

/** An address part from a name: accents dropped, other scripts replaced, as exports of real CRMs do. */
const asciiOf = (name: string, fallback: string): string =>
  name
    .normalize('NFD')
    .replace(/[^a-z]/gi, '')
    .toLowerCase() || fallback;

/** One realistic contacts row (without its line end); about `invalidFraction` of them break one rule. */
export function realisticContactRow(id: number, random: () => number, invalidFraction: number): { line: string; valid: boolean } {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const nonAscii = random() < 1 / 3;
  const both = random() < 0.5;
  const first = nonAscii && (both || random() < 0.5) ? pick(FIRST_NON_ASCII) : pick(FIRST);
  const last = nonAscii && (both || !FIRST_NON_ASCII.includes(first)) ? pick(LAST_NON_ASCII) : pick(LAST);
  const notesDraw = random();
  const fields = [
    String(id),
    `${asciiOf(first, 'user')}.${asciiOf(last, 'contact')}${id}@example.com`,
    first,
    last,
    random() < 0.25 ? '' : pick(COMPANIES),
    pick(COUNTRIES),
    `20${10 + Math.floor(random() * 15)}-${twoDigits(1 + Math.floor(random() * 12))}-${twoDigits(1 + Math.floor(random() * 28))}`,
    random() < 0.1 ? String(Math.floor(random() * 1000)) : (random() * 10000).toFixed(2),
    random() < 0.5 ? 'true' : 'no',
    notesDraw < 0.55 ? '' : notesDraw < 0.6 ? pick(MULTI_LINE_NOTES) : pick(NOTES),
  ];
  const valid = !(random() < invalidFraction);
  if (!valid) {
    const [index, value] = pick(BROKEN);
    fields[index] = value;
  }
  // Exporters quote what needs it, and many quote more: about six in ten of the other non-empty text cells here,
  // which with the empty optional cells makes about half of all text cells quoted. Empty cells stay bare.
  const cells = fields.map((value, index) =>
    needsQuotes(value) || (value !== '' && TEXT_COLUMNS.includes(index) && random() < 0.6) ? quoted(value) : value,
  );
  return { line: cells.join(','), valid };
}
