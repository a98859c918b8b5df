import { contactsTemplate } from './contacts.js';
import { productsTemplate } from './products.js';
import type { Template } from './template.js';

/**
 * The built-in templates: ordinary definitions, seeded into every installation's template store
 * (services/db templates) and read from there like any other; their tables come with the migrations.
 */
export const BUILT_IN_TEMPLATES: readonly Template[] = [contactsTemplate, productsTemplate];
