import { describe, expect, it } from 'vitest';
import {
  can,
  canSeeGroupInsides,
  canViewGroup,
  chapterVisibility,
  holdsOwnership,
  isInviteLive,
  joinPathOf,
  emailDomainAllowed,
  mayAssignRole,
  outranks,
  permissionsOf,
  PERMISSIONS,
  rolesWith,
  visibleGroupsWhere,
  type GroupAction,
} from './groups.policy.js';

// The written matrix, row by row: if this table changes, the README section must change too.
const MATRIX: Record<GroupAction, { OWNER: boolean; ADMIN: boolean; MODERATOR: boolean; MEMBER: boolean }> = {
  edit: { OWNER: true, ADMIN: true, MODERATOR: false, MEMBER: false },
  approveRequests: { OWNER: true, ADMIN: true, MODERATOR: true, MEMBER: false },
  invite: { OWNER: true, ADMIN: true, MODERATOR: true, MEMBER: false },
  changeRoles: { OWNER: true, ADMIN: true, MODERATOR: false, MEMBER: false },
  removeMembers: { OWNER: true, ADMIN: true, MODERATOR: true, MEMBER: false },
  ban: { OWNER: true, ADMIN: true, MODERATOR: true, MEMBER: false },
  createEvents: { OWNER: true, ADMIN: true, MODERATOR: true, MEMBER: false },
  rsvp: { OWNER: true, ADMIN: true, MODERATOR: true, MEMBER: true },
  createChapters: { OWNER: true, ADMIN: true, MODERATOR: false, MEMBER: false },
  transferOwnership: { OWNER: true, ADMIN: false, MODERATOR: false, MEMBER: false },
  delete: { OWNER: true, ADMIN: false, MODERATOR: false, MEMBER: false },
  createChannels: { OWNER: true, ADMIN: true, MODERATOR: false, MEMBER: false },
  moderateChannels: { OWNER: true, ADMIN: true, MODERATOR: true, MEMBER: false },
};

describe('the group permission matrix', () => {
  for (const [action, row] of Object.entries(MATRIX) as Array<[GroupAction, (typeof MATRIX)[GroupAction]]>) {
    for (const [role, allowed] of Object.entries(row) as Array<[keyof typeof row, boolean]>) {
      it(`${allowed ? 'lets' : 'does not let'} ${role} ${action}`, () => {
        expect(can(role, action)).toBe(allowed);
      });
    }
  }

  it('gives no permission to non-members or banned people (no role)', () => {
    for (const action of Object.keys(MATRIX) as GroupAction[]) {
      expect(can(null, action)).toBe(false);
      expect(can(undefined, action)).toBe(false);
    }
  });

  it('has exactly the actions of the written table', () => {
    for (const role of Object.keys(PERMISSIONS) as Array<keyof typeof PERMISSIONS>) {
      expect([...PERMISSIONS[role]].sort()).toEqual(
        (Object.keys(MATRIX) as GroupAction[]).filter((action) => MATRIX[action][role]).sort(),
      );
    }
  });

  it('lists the roles allowed an action for database filters', () => {
    expect(rolesWith('approveRequests').sort()).toEqual(['ADMIN', 'MODERATOR', 'OWNER']);
    expect(rolesWith('changeRoles').sort()).toEqual(['ADMIN', 'OWNER']);
  });

  it('never offers createChapters on a chapter', () => {
    expect(permissionsOf('OWNER', { parentId: null }).createChapters).toBe(true);
    expect(permissionsOf('OWNER', { parentId: 'some-parent' }).createChapters).toBe(false);
    expect(permissionsOf(null, { parentId: null })).toEqual({
      edit: false,
      approveRequests: false,
      invite: false,
      changeRoles: false,
      removeMembers: false,
      ban: false,
      createEvents: false,
      createChapters: false,
    });
  });
});

describe('rank', () => {
  it('lets a role act only on roles strictly below it', () => {
    expect(outranks('OWNER', 'ADMIN')).toBe(true);
    expect(outranks('ADMIN', 'MODERATOR')).toBe(true);
    expect(outranks('ADMIN', 'ADMIN')).toBe(false);
    expect(outranks('MODERATOR', 'MEMBER')).toBe(true);
    expect(outranks('MODERATOR', 'ADMIN')).toBe(false);
    expect(outranks('MEMBER', 'MEMBER')).toBe(false);
    expect(outranks(null, 'MEMBER')).toBe(false);
  });

  it('assigns only roles below the actor to members below the actor, and never OWNER', () => {
    expect(mayAssignRole('OWNER', 'MEMBER', 'ADMIN')).toBe(true);
    expect(mayAssignRole('OWNER', 'ADMIN', 'OWNER')).toBe(false);
    expect(mayAssignRole('ADMIN', 'MEMBER', 'MODERATOR')).toBe(true);
    expect(mayAssignRole('ADMIN', 'MEMBER', 'ADMIN')).toBe(false);
    expect(mayAssignRole('ADMIN', 'ADMIN', 'MEMBER')).toBe(false);
    expect(mayAssignRole('MODERATOR', 'MEMBER', 'MEMBER')).toBe(false);
  });
});

describe('visibility', () => {
  it('shows PUBLIC and PRIVATE groups to anyone signed in and SECRET ones to members only', () => {
    const viewer = (role: 'MEMBER' | null) => ({ signedIn: true, role });
    expect(canViewGroup({ visibility: 'PUBLIC', hiddenAt: null }, viewer(null))).toBe(true);
    expect(canViewGroup({ visibility: 'PRIVATE', hiddenAt: null }, viewer(null))).toBe(true);
    expect(canViewGroup({ visibility: 'SECRET', hiddenAt: null }, viewer(null))).toBe(false);
    expect(canViewGroup({ visibility: 'SECRET', hiddenAt: null }, viewer('MEMBER'))).toBe(true);
    expect(canViewGroup({ visibility: 'PUBLIC', hiddenAt: null }, { signedIn: false, role: null })).toBe(false);
  });

  it('shows a group the admins hid to its members only, whatever its visibility', () => {
    const hiddenAt = new Date();
    for (const visibility of ['PUBLIC', 'PRIVATE', 'SECRET'] as const) {
      expect(canViewGroup({ visibility, hiddenAt }, { signedIn: true, role: null })).toBe(false);
      expect(canSeeGroupInsides({ visibility, hiddenAt }, { signedIn: true, role: null })).toBe(false);
      expect(canViewGroup({ visibility, hiddenAt }, { signedIn: true, role: 'MEMBER' })).toBe(true);
      expect(canSeeGroupInsides({ visibility, hiddenAt }, { signedIn: true, role: 'MEMBER' })).toBe(true);
    }
  });

  it('matches no group at all for a signed-out viewer', () => {
    expect(visibleGroupsWhere(null)).toEqual({ id: { in: [] } });
  });

  it("shows a group's insides (members, attendees, an event's place) of PUBLIC groups to all, else to members", () => {
    const viewer = (role: 'MEMBER' | null) => ({ signedIn: true, role });
    expect(canSeeGroupInsides({ visibility: 'PUBLIC', hiddenAt: null }, viewer(null))).toBe(true);
    expect(canSeeGroupInsides({ visibility: 'PRIVATE', hiddenAt: null }, viewer(null))).toBe(false);
    expect(canSeeGroupInsides({ visibility: 'SECRET', hiddenAt: null }, viewer(null))).toBe(false);
    expect(canSeeGroupInsides({ visibility: 'PRIVATE', hiddenAt: null }, viewer('MEMBER'))).toBe(true);
    expect(canSeeGroupInsides({ visibility: 'PUBLIC', hiddenAt: null }, { signedIn: false, role: null })).toBe(false);
  });
});

describe('joining, chapters, ownership, invites', () => {
  it('joins PUBLIC groups at once, asks PRIVATE ones, and needs an invite for SECRET ones', () => {
    expect(joinPathOf({ visibility: 'PUBLIC' })).toBe('join');
    expect(joinPathOf({ visibility: 'PRIVATE' })).toBe('request');
    expect(joinPathOf({ visibility: 'SECRET' })).toBe('invite');
  });

  it('keeps the chapters of a secret group secret, and lets other chapters choose', () => {
    expect(chapterVisibility('SECRET', 'PUBLIC')).toBe('SECRET');
    expect(chapterVisibility('PRIVATE', 'PUBLIC')).toBe('PUBLIC');
    expect(chapterVisibility('PUBLIC', 'SECRET')).toBe('SECRET');
  });

  it('makes only the owner hand over before leaving', () => {
    expect(holdsOwnership('OWNER')).toBe(true);
    expect(holdsOwnership('ADMIN')).toBe(false);
    expect(holdsOwnership(null)).toBe(false);
  });

  it('counts an invite live until it is revoked, accepted or expired', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const live = { revokedAt: null, acceptedAt: null, expiresAt: null };
    expect(isInviteLive(live, now)).toBe(true);
    expect(isInviteLive({ ...live, expiresAt: new Date('2026-06-01T12:00:01Z') }, now)).toBe(true);
    expect(isInviteLive({ ...live, expiresAt: now }, now)).toBe(false);
    expect(isInviteLive({ ...live, revokedAt: now }, now)).toBe(false);
    expect(isInviteLive({ ...live, acceptedAt: now }, now)).toBe(false);
  });
});

describe('email domains', () => {
  const verified = new Date();
  it('admits anyone when the group sets no domain', () => {
    expect(emailDomainAllowed(null, { email: 'a@b.com', emailVerifiedAt: null })).toBe(true);
  });
  it('admits only a verified address on exactly that domain', () => {
    expect(emailDomainAllowed('acme.com', { email: 'ada@acme.com', emailVerifiedAt: verified })).toBe(true);
    expect(emailDomainAllowed('acme.com', { email: 'ada@ACME.com', emailVerifiedAt: verified })).toBe(true);
    expect(emailDomainAllowed('acme.com', { email: 'ada@acme.com', emailVerifiedAt: null })).toBe(false);
    expect(emailDomainAllowed('acme.com', { email: 'ada@notacme.com', emailVerifiedAt: verified })).toBe(false);
    expect(emailDomainAllowed('acme.com', { email: 'ada@mail.acme.com', emailVerifiedAt: verified })).toBe(false);
  });
});
