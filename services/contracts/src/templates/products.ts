import type { Template } from './template.js';

export const productsTemplate: Template = {
  name: 'products',
  key: ['sku'],
  keyCaseInsensitive: true,
  table: 'public.products',
  managed: true,
  builtIn: true,
  createdAt: null,
  updatedAt: null,
  columns: [
    {
      name: 'sku',
      type: 'string',
      required: true,
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      patternHint: 'letters, digits, - and _',
    },
    { name: 'name', type: 'string', required: true, minLength: 1, maxLength: 200 },
    { name: 'description', type: 'string', required: false },
    { name: 'price', type: 'decimal', required: true, min: 0, maxDecimals: 2 },
    { name: 'quantity', type: 'integer', required: true, min: 0, max: Number.MAX_SAFE_INTEGER },
    { name: 'active', type: 'boolean', required: true, description: 'true/false/1/0/yes/no' },
  ],
};
