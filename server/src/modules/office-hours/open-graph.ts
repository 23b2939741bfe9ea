import type { AppServices } from '../../context.js';
import { openGraphOfHost } from './office-hours.queries.js';

// The link preview of a host's public office-hours page (/office-hours/<hostId>): the static-file
// handler asks this (app.ts passes it in) and escapes what it gets. Only what a signed-out visitor
// may see: the host's name and the topics of their PUBLIC office hours to come.

const PAGE = /^\/office-hours\/([^/]+)\/?$/;
// The host's own pages under the same prefix are no host's public page.
const NOT_A_HOST = new Set(['manage', 'new', 'slots']);

export async function officeHoursPageMeta(
  services: Pick<AppServices, 'db' | 'env'>,
  pathname: string,
): Promise<{ title: string; description: string; url: string; type: string } | null> {
  const hostId = PAGE.exec(pathname)?.[1];
  if (!hostId || NOT_A_HOST.has(hostId)) return null;
  const page = await openGraphOfHost(services, hostId);
  if (!page) return null;
  const topics = page.topics.slice(0, 5);
  return {
    title: `Office hours with ${page.hostName}`,
    description:
      topics.length > 0
        ? `Book a session with ${page.hostName} on Guildhall: ${topics.join(' · ')}.`
        : `Book a session with ${page.hostName} on Guildhall.`,
    url: new URL(`/office-hours/${encodeURIComponent(hostId)}`, services.env.PUBLIC_ORIGIN).toString(),
    type: 'profile',
  };
}
