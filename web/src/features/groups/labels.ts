export type GroupKind = 'COMMUNITY' | 'ALUMNI' | 'PROGRAM';
export type GroupVisibility = 'PUBLIC' | 'PRIVATE' | 'SECRET';
export type GroupRole = 'OWNER' | 'ADMIN' | 'MODERATOR' | 'MEMBER';

export const KINDS: readonly { value: GroupKind; label: string; hint: string }[] = [
  { value: 'COMMUNITY', label: 'Community', hint: 'an industry association or topic community' },
  { value: 'ALUMNI', label: 'Alumni', hint: 'people from one institution, optionally a year or cohort' },
  { value: 'PROGRAM', label: 'Program', hint: 'a company’s mentorship program or employee resource group' },
];

export const VISIBILITIES: readonly { value: GroupVisibility; label: string; hint: string }[] = [
  { value: 'PUBLIC', label: 'Public', hint: 'anyone signed in can see and join' },
  { value: 'PRIVATE', label: 'Private', hint: 'visible; people ask to join and an admin approves' },
  { value: 'SECRET', label: 'Secret', hint: 'invisible to non-members; invite only' },
];

export const ROLES: readonly { value: GroupRole; label: string }[] = [
  { value: 'OWNER', label: 'Owner' },
  { value: 'ADMIN', label: 'Admin' },
  { value: 'MODERATOR', label: 'Moderator' },
  { value: 'MEMBER', label: 'Member' },
];

export function kindLabel(kind: GroupKind): string {
  return KINDS.find((k) => k.value === kind)?.label ?? kind;
}
export function visibilityLabel(visibility: GroupVisibility): string {
  return VISIBILITIES.find((v) => v.value === visibility)?.label ?? visibility;
}
export function roleLabel(role: GroupRole): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

export function groupPath(slug: string): string {
  return `/groups/${encodeURIComponent(slug)}`;
}
