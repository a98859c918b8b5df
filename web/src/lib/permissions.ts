import { API_ROUTES, roleAllows, type ApiRoute, type Role } from '@docprocessor/contracts';

/**
 * What a button in the UI does, as the route it calls. The least role of each comes from the contract's route
 * table, so the UI never disagrees with the server about who may do what.
 */
const ACTION_ROUTES = {
  upload: ['post', '/api/imports'],
  cancel: ['post', '/api/imports/{id}/cancel'],
  retry: ['post', '/api/imports/{id}/retry'],
  commit: ['post', '/api/imports/{id}/commit'],
  fix: ['post', '/api/imports/{id}/fixes'],
  revert: ['post', '/api/imports/{id}/revert'],
  createTemplate: ['post', '/api/templates'],
  changeTemplate: ['put', '/api/templates/{name}'],
  deleteTemplate: ['delete', '/api/templates/{name}'],
  readAudit: ['get', '/api/audit'],
} as const satisfies Record<string, readonly [ApiRoute['method'], string]>;

export type Action = keyof typeof ACTION_ROUTES;

export interface Permission {
  allowed: boolean;
  /** Why not, for a person: "Needs the importer role (you are a viewer)"; null when allowed. */
  reason: string | null;
}

/** The least role that may do `action`, from the route it calls. */
export function leastRole(action: Action): Role {
  const [method, path] = ACTION_ROUTES[action];
  const route = API_ROUTES.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no route ${method.toUpperCase()} ${path} in the contract for the action ${action}`);
  // An open route needs no role; the lowest one says the same.
  return route.access === 'open' ? 'viewer' : route.access;
}

/** Whether `role` may do `action`; `null` while the server has not said who is signed in. */
export function permission(role: Role | null, action: Action): Permission {
  const needs = leastRole(action);
  if (role === null) return { allowed: false, reason: 'Checking what you may do…' };
  if (roleAllows(role, needs)) return { allowed: true, reason: null };
  return { allowed: false, reason: `Needs the ${needs} role (you are ${article(role)} ${role})` };
}

const article = (role: Role): string => (/^[aeiou]/.test(role) ? 'an' : 'a');
