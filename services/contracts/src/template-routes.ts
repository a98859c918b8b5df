import { z } from 'zod';
import { refused, type ApiRoute } from './api-route.js';
import { TemplateChange, TemplateInput } from './templates/template-rules.js';
import { Template, TemplateName } from './templates/template.js';

export const TemplateParams = z.object({ name: TemplateName });

/** Reading and defining templates: the built-in ones and the tenant's own, each with its table. */
export const TEMPLATE_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/api/templates',
    tag: 'templates',
    access: 'viewer',
    summary: "The built-in templates and the tenant's own",
    responses: { 200: { description: 'every template', schema: z.array(Template) } },
  },
  {
    method: 'post',
    path: '/api/templates',
    tag: 'templates',
    access: 'admin',
    audit: 'template.create',
    summary: 'Define a template (and create or bind its table)',
    json: TemplateInput,
    responses: {
      201: { description: 'the template', schema: Template },
      400: refused('`invalid_template`: the message names the field'),
      409: refused('`template_exists`'),
    },
  },
  {
    method: 'get',
    path: '/api/templates/{name}',
    tag: 'templates',
    access: 'viewer',
    summary: 'One template',
    params: TemplateParams,
    responses: { 200: { description: 'the template', schema: Template }, 404: refused('no such template') },
  },
  {
    method: 'put',
    path: '/api/templates/{name}',
    tag: 'templates',
    access: 'admin',
    audit: 'template.update',
    summary: 'Change a template: compatible changes are applied to its table, others refused',
    params: TemplateParams,
    json: TemplateChange,
    responses: {
      200: { description: 'the template as changed', schema: Template },
      400: refused('`invalid_template`'),
      404: refused('no such template'),
      409: refused('an incompatible change, or a built-in template'),
    },
  },
  {
    method: 'delete',
    path: '/api/templates/{name}',
    tag: 'templates',
    access: 'admin',
    audit: 'template.delete',
    summary: 'Delete a template (its table stays)',
    params: TemplateParams,
    responses: { 204: { description: 'deleted' }, 404: refused('no such template'), 409: refused('an import of it is running') },
  },
];
