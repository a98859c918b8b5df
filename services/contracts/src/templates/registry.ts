import { contactsTemplate } from './contacts.js';
import { productsTemplate } from './products.js';
import type { Template } from './template.js';

export const TEMPLATES: readonly Template[] = [contactsTemplate, productsTemplate];

export const findTemplate = (name: string): Template | undefined => TEMPLATES.find((t) => t.name === name);
