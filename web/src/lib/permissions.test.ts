import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '@docprocessor/contracts';
import { leastRole, permission } from './permissions';

describe('permission', () => {
  it('takes each action’s least role from the contract’s route table', () => {
    expect(leastRole('upload')).toBe('importer');
    expect(leastRole('cancel')).toBe('importer');
    expect(leastRole('fix')).toBe('importer');
    expect(leastRole('revert')).toBe('admin');
    expect(leastRole('createTemplate')).toBe('admin');
    expect(leastRole('readAudit')).toBe('admin');
    const cancel = API_ROUTES.find((r) => r.method === 'post' && r.path === '/api/imports/{id}/cancel');
    expect(cancel?.access).toBe(leastRole('cancel'));
  });

  it('allows a role its own actions and those below, and says why not otherwise', () => {
    expect(permission('admin', 'revert')).toEqual({ allowed: true, reason: null });
    expect(permission('importer', 'cancel')).toEqual({ allowed: true, reason: null });
    expect(permission('importer', 'revert')).toEqual({ allowed: false, reason: 'Needs the admin role (you are an importer)' });
    expect(permission('viewer', 'upload')).toEqual({ allowed: false, reason: 'Needs the importer role (you are a viewer)' });
  });

  it('allows nothing while the server has not said who is signed in', () => {
    expect(permission(null, 'upload').allowed).toBe(false);
  });
});
