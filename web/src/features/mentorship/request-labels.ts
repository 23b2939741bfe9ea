// Member-facing words for requests, mentorships and agreements.

export type RequestStatus = 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'WITHDRAWN' | 'EXPIRED' | 'CANCELLED';

export const REQUEST_STATUS: Record<RequestStatus, { label: string; tone: string }> = {
  PENDING: { label: 'Waiting for an answer', tone: 'tag--warning' },
  ACCEPTED: { label: 'Accepted', tone: 'tag--success' },
  DECLINED: { label: 'Declined', tone: '' },
  WITHDRAWN: { label: 'Withdrawn', tone: '' },
  EXPIRED: { label: 'Expired', tone: '' },
  CANCELLED: { label: 'Closed', tone: '' },
};

export const AGREEMENT_STATUS: Record<string, string> = {
  PROPOSED: 'Proposed',
  ACCEPTED: 'In force',
  SUPERSEDED: 'Replaced',
  WITHDRAWN: 'Withdrawn',
};

export function mentorRequestPath(personId: string): string {
  return `/mentors/${encodeURIComponent(personId)}/request`;
}

export function mentorshipPath(mentorshipId: string): string {
  return `/mentorships/${encodeURIComponent(mentorshipId)}`;
}

export const REQUESTS_PATH = '/mentorship/requests';
