import type { Template } from './template.js';

export const contactsTemplate: Template = {
  name: 'contacts',
  key: ['id'],
  keyCaseInsensitive: false,
  table: 'public.contacts',
  managed: true,
  builtIn: true,
  createdAt: null,
  updatedAt: null,
  columns: [
    { name: 'id', type: 'integer', required: true, min: 1, max: Number.MAX_SAFE_INTEGER },
    { name: 'email', type: 'email', required: true, maxLength: 254 },
    { name: 'first_name', type: 'string', required: true, minLength: 1, maxLength: 100 },
    { name: 'last_name', type: 'string', required: true, minLength: 1, maxLength: 100 },
    { name: 'company', type: 'string', required: false, maxLength: 200 },
    { name: 'country', type: 'country', required: true, description: 'ISO 3166-1 alpha-2, any case' },
    { name: 'signup_date', type: 'date', required: true, formats: ['YYYY-MM-DD'], description: 'YYYY-MM-DD' },
    { name: 'amount', type: 'decimal', required: true, min: 0, maxDecimals: 2 },
    { name: 'active', type: 'boolean', required: true, description: 'true/false/1/0/yes/no' },
    { name: 'notes', type: 'string', required: false, maxLength: 2000 },
  ],
};
