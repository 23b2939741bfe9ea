import { describe, expect, it } from 'vitest';
import { describeNotification } from './notification.text.js';

const group = { name: 'Rust Berlin', slug: 'rust-berlin' };
const event = { id: '0190f0c8-0000-7000-8000-000000000001', title: 'Async Rust night' };

describe('describeNotification', () => {
  it.each([
    ['JOIN_REQUEST_RECEIVED', 'Ada Okafor asked to join Rust Berlin', '/groups/rust-berlin/admin'],
    ['JOIN_REQUEST_APPROVED', 'Ada Okafor approved your request to join Rust Berlin', '/groups/rust-berlin'],
    ['JOIN_REQUEST_DECLINED', 'Your request to join Rust Berlin was declined', '/groups/rust-berlin'],
    ['GROUP_INVITE', 'Ada Okafor invited you to join Rust Berlin', '/groups/rust-berlin'],
    ['EVENT_CREATED', 'Ada Okafor scheduled Async Rust night in Rust Berlin', `/events/${event.id}`],
    ['WAITLIST_PROMOTED', 'A seat opened up: you are going to Async Rust night', `/events/${event.id}`],
  ] as const)('words %s as a sentence with a web path', (kind, text, href) => {
    expect(describeNotification(kind, { actorName: 'Ada Okafor', group, event })).toEqual({ text, href });
  });

  it('names the new role of a role change', () => {
    expect(
      describeNotification('ROLE_CHANGED', { actorName: 'Ada Okafor', group, event: null, role: 'MODERATOR' }).text,
    ).toBe('Ada Okafor made you a moderator of Rust Berlin');
  });

  it('names no group or event when the recipient may no longer see the group', () => {
    const { text, href } = describeNotification('EVENT_CREATED', { actorName: 'Ada Okafor', group: null, event });
    expect(text).not.toContain('Rust Berlin');
    expect(text).not.toContain('Async Rust night');
    expect(href).toBe('/notifications');
  });
});
