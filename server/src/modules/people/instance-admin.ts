import type { Context } from '../../context.js';

// Whether the viewer of a request is one of the instance's admins is the safety module's rule
// (safety.policy.ts: a verified address in ADMIN_EMAILS). People sits below safety, so safety
// registers the check here when it is imported; until it does, nobody is an admin (deny by default).

export type InstanceAdminCheck = (ctx: Pick<Context, 'db' | 'env' | 'viewer'>) => Promise<boolean>;

let check: InstanceAdminCheck = async () => false;

export function registerInstanceAdminCheck(next: InstanceAdminCheck): void {
  check = next;
}

export function viewerIsInstanceAdmin(ctx: Pick<Context, 'db' | 'env' | 'viewer'>): Promise<boolean> {
  return ctx.viewer ? check(ctx) : Promise.resolve(false);
}
