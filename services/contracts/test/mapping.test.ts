import { describe, expect, it } from 'vitest';
import {
  comparableHeaderName,
  contactsTemplate,
  MappingProposal,
  nameSimilarity,
  proposeMapping,
  type MappableColumn,
} from '../src/index.js';

const contacts: MappableColumn[] = contactsTemplate.columns;
const columnsOf = (proposal: MappingProposal) => Object.fromEntries(proposal.mapping.map((m) => [m.header, m.column]));
const confidenceOf = (proposal: MappingProposal, header: string) => proposal.mapping.find((m) => m.header === header)?.confidence;

describe('comparableHeaderName', () => {
  it('makes case, surrounding spaces, a BOM and runs of `_`, `-` and spaces equal', () => {
    for (const name of ['first_name', 'First Name', '\uFEFF first-name ', 'FIRST  NAME', 'first_-name'])
      expect(comparableHeaderName(name), name).toBe('first_name');
    expect(comparableHeaderName('   ')).toBe('');
  });
});

describe('proposeMapping', () => {
  it('maps equal names with confidence 1 and keeps the file order', () => {
    const proposal = proposeMapping(contacts, ['Email', 'ID', 'First Name', 'last-name', 'COUNTRY', 'Signup Date', 'amount', 'Active']);
    expect(MappingProposal.parse(proposal)).toEqual(proposal);
    const columns = ['email', 'id', 'first_name', 'last_name', 'country', 'signup_date', 'amount', 'active'];
    expect(proposal.mapping.map((m) => m.column)).toEqual(columns);
    expect(proposal.mapping.every((m) => m.confidence === 1)).toBe(true);
    expect(proposal.missing).toEqual([]);
  });

  it("maps a column's aliases, normalised the same way, with a confidence below a name's", () => {
    const columns = [{ name: 'email', required: true, aliases: ['Mail Address', 'courriel'] }];
    const proposal = proposeMapping(columns, ['mail_address']);
    expect(proposal.mapping).toEqual([{ header: 'mail_address', column: 'email', confidence: 0.95 }]);
  });

  it('suggests columns by similar names above a threshold, with the similarity as confidence', () => {
    const proposal = proposeMapping(contacts, ['e-mail', 'notes', 'Signup', 'favourite colour']);
    expect(columnsOf(proposal)).toEqual({ 'e-mail': 'email', notes: 'notes', Signup: 'signup_date', 'favourite colour': null });
    expect(confidenceOf(proposal, 'e-mail')).toBeCloseTo(nameSimilarity('e_mail', 'email'), 10);
    expect(confidenceOf(proposal, 'e-mail')).toBeLessThan(1);
    expect(confidenceOf(proposal, 'favourite colour')).toBe(0);
    expect(proposeMapping([{ name: 'name', required: false }], ['notes']).mapping[0]!.column).toBeNull();
  });

  it('gives each column to one header, the best: a name before an alias before a suggestion', () => {
    const columns = [{ name: 'email', required: true, aliases: ['mail'] }];
    expect(columnsOf(proposeMapping(columns, ['emails', 'mail', 'EMAIL']))).toEqual({ emails: null, mail: null, EMAIL: 'email' });
    expect(columnsOf(proposeMapping(columns, ['emails', 'mail']))).toEqual({ emails: null, mail: 'email' });
    expect(columnsOf(proposeMapping(columns, ['emails', 'emial']))).toEqual({ emails: 'email', emial: null });
  });

  it('gives a column named by two headers that normalise alike to the first', () => {
    const proposal = proposeMapping([{ name: 'first_name', required: true }], ['First Name', 'first-name']);
    expect(proposal.mapping).toEqual([
      { header: 'First Name', column: 'first_name', confidence: 1 },
      { header: 'first-name', column: null, confidence: 0 },
    ]);
  });

  it("prefers a column's own name to another column's alias equal to it", () => {
    const columns = [
      { name: 'email', required: true, aliases: ['contact'] },
      { name: 'contact', required: false },
    ];
    expect(columnsOf(proposeMapping(columns, ['contact', 'email']))).toEqual({ contact: 'contact', email: 'email' });
    expect(columnsOf(proposeMapping(columns, ['contact']))).toEqual({ contact: 'contact' });
    expect(proposeMapping(columns, ['contact']).missing).toEqual([{ column: 'email', closestHeader: null }]);
  });

  it('maps no empty header, and lets an empty alias match nothing', () => {
    const columns = [{ name: 'id', required: true, aliases: ['', ' '] }];
    const proposal = proposeMapping(columns, ['', '  ', '\uFEFF']);
    expect(proposal.mapping.map((m) => m.column)).toEqual([null, null, null]);
    expect(proposal.missing).toEqual([{ column: 'id', closestHeader: null }]);
  });

  it('follows a remembered mapping for this header list first, nulls included', () => {
    const headers = ['Mail', 'Nom', 'email'];
    const proposal = proposeMapping(contacts, headers, { Mail: 'email', email: null, Nom: 'last_name' });
    expect(proposal.mapping).toEqual([
      { header: 'Mail', column: 'email', confidence: 1 },
      { header: 'Nom', column: 'last_name', confidence: 1 },
      { header: 'email', column: null, confidence: 1 },
    ]);
  });

  it('matches afresh a header whose remembered column the template no longer has', () => {
    const proposal = proposeMapping(contacts, ['email'], { email: 'e_mail_address' });
    expect(proposal.mapping).toEqual([{ header: 'email', column: 'email', confidence: 1 }]);
  });

  it('lists required columns nothing maps to, with the closest free header or null', () => {
    const headers = ['id', 'mail', 'firstname', 'surname', 'nation', 'signup', 'amt', 'enabled', 'company'];
    const proposal = proposeMapping(contacts, headers);
    expect(columnsOf(proposal)).toMatchObject({
      id: 'id',
      mail: 'email',
      firstname: 'first_name',
      signup: 'signup_date',
      company: 'company',
      amt: null,
    });
    // amt is near both amount and active, nearer amount: a header is offered as the closest once.
    expect(proposal.missing).toEqual([
      { column: 'last_name', closestHeader: null },
      { column: 'country', closestHeader: null },
      { column: 'amount', closestHeader: 'amt' },
      { column: 'active', closestHeader: null },
    ]);
  });

  it('does not list optional columns as missing', () => {
    const proposal = proposeMapping([{ name: 'notes', required: false }], []);
    expect(proposal).toEqual({ mapping: [], missing: [] });
  });
});

describe('nameSimilarity', () => {
  it('is Jaro-Winkler: 1 for equal names, 0 for names sharing nothing, symmetric', () => {
    expect(nameSimilarity('email', 'email')).toBe(1);
    expect(nameSimilarity('id', 'sku')).toBe(0);
    expect(nameSimilarity('martha', 'marhta')).toBeCloseTo(0.961, 3); // the textbook example
    expect(nameSimilarity('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(nameSimilarity('notes', 'name')).toBeCloseTo(nameSimilarity('name', 'notes'), 10);
  });
});
