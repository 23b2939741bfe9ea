import { useCallback, useId, useMemo, useState } from 'react';
import { Link, NavLink } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import { conversationPath, type ConversationSummary } from './chat-types';
import { CreateChannelDialog, type ChannelGroup } from './create-channel-dialog';
import { ChatGroupsQuery, ConversationsQuery } from './documents';
import { CONVERSATION_PAGE_SIZE } from './page-sizes';
import { PresenceDot, presenceLabel, usePresence } from './presence';
import { SearchResults } from './search-results';
import { StartDirectDialog } from './start-direct-dialog';
import { useOnReconnected } from './use-connection-state';

function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}

function unreadLabel(conversation: ConversationSummary): string {
  const parts: string[] = [];
  if (conversation.unreadCount > 0) parts.push(`${conversation.unreadCount} unread`);
  if (conversation.unreadMentionCount > 0)
    parts.push(`${conversation.unreadMentionCount} ${conversation.unreadMentionCount === 1 ? 'mention' : 'mentions'}`);
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

function Badges({ conversation }: { conversation: ConversationSummary }) {
  return (
    <span className="conversation-link__badges" aria-hidden="true">
      {conversation.unreadMentionCount > 0 && (
        <span className="chat-badge chat-badge--mention" data-testid="mention-badge">
          @{badgeText(conversation.unreadMentionCount)}
        </span>
      )}
      {conversation.unreadCount > 0 && (
        <span className="chat-badge" data-testid="unread-badge">
          {badgeText(conversation.unreadCount)}
        </span>
      )}
    </span>
  );
}

function ChannelLink({ conversation }: { conversation: ConversationSummary }) {
  const unread = conversation.unreadCount > 0;
  return (
    <NavLink
      to={conversationPath(conversation.id)}
      className={unread ? 'conversation-link conversation-link--unread' : 'conversation-link'}
      data-conversation-id={conversation.id}
    >
      <span className="conversation-link__icon" aria-hidden="true">
        #
      </span>
      <span className="conversation-link__name">{conversation.name ?? conversation.title}</span>
      <span className="visually-hidden">{unreadLabel(conversation)}</span>
      <Badges conversation={conversation} />
    </NavLink>
  );
}

function DirectLink({ conversation, viewerPersonId }: { conversation: ConversationSummary; viewerPersonId: string }) {
  const others = conversation.participants.filter((person) => person.id !== viewerPersonId);
  const single = others.length === 1 ? others[0] : undefined;
  const status = usePresence(single?.id);
  const unread = conversation.unreadCount > 0;
  return (
    <NavLink
      to={conversationPath(conversation.id)}
      className={unread ? 'conversation-link conversation-link--unread' : 'conversation-link'}
      data-conversation-id={conversation.id}
    >
      <span className="conversation-link__avatar" aria-hidden="true">
        {single ? (
          <>
            <Avatar name={single.name} initials={single.initials} size="sm" />
            <PresenceDot personId={single.id} className="conversation-link__presence" />
          </>
        ) : (
          <span className="conversation-link__group-count">{others.length + 1}</span>
        )}
      </span>
      <span className="conversation-link__name">{conversation.title}</span>
      <span className="visually-hidden">
        {single ? `, ${presenceLabel(status)}` : ''}
        {unreadLabel(conversation)}
      </span>
      <Badges conversation={conversation} />
    </NavLink>
  );
}

interface GroupSection {
  id: string;
  name: string;
  canManage: boolean;
  channels: ConversationSummary[];
}

// The server's cost limit allows about 35 conversations per request, so the list is read in pages:
// up to six of them, each asked for once the one before it says there is more.
const LIST_PAGE_SIZE = CONVERSATION_PAGE_SIZE;

type ConversationPage = ReturnType<typeof useConversationPage>;

function useConversationPage(after: string | null | undefined, pause: boolean) {
  return useQuery({
    query: ConversationsQuery,
    variables: { first: LIST_PAGE_SIZE, after: after ?? null },
    requestPolicy: 'cache-and-network',
    pause,
  });
}

/** The page after `previous`, paused until `previous` ends with hasNextPage. */
function useNextConversationPage(previous: ConversationPage): ConversationPage {
  const info = previous[0].data?.conversations.pageInfo;
  return useConversationPage(info?.endCursor, !info?.hasNextPage);
}

const hasNextPage = ([page]: ConversationPage) => Boolean(page.data?.conversations.pageInfo.hasNextPage);

/** Every conversation of the viewer (up to six pages). */
function useConversationList() {
  // One hook per page, always the same six in the same order.
  const page1 = useConversationPage(null, false);
  const page2 = useNextConversationPage(page1);
  const page3 = useNextConversationPage(page2);
  const page4 = useNextConversationPage(page3);
  const page5 = useNextConversationPage(page4);
  const page6 = useNextConversationPage(page5);
  const [data1, data2, data3, data4, data5, data6] = [page1, page2, page3, page4, page5, page6].map(
    ([page]) => page.data,
  );
  const conversations = useMemo(() => {
    const seen = new Map<string, ConversationSummary>();
    for (const page of [data1, data2, data3, data4, data5, data6]) {
      for (const edge of page?.conversations.edges ?? []) seen.set(edge.node.id, edge.node);
    }
    return [...seen.values()];
  }, [data1, data2, data3, data4, data5, data6]);
  // Which pages are in use: the first, and each one whose page before it has more.
  const activeKey = [true, ...[page1, page2, page3, page4, page5].map(hasNextPage)].join();
  const [, reexecute1] = page1;
  const [, reexecute2] = page2;
  const [, reexecute3] = page3;
  const [, reexecute4] = page4;
  const [, reexecute5] = page5;
  const [, reexecute6] = page6;
  const refresh = useCallback(() => {
    const active = activeKey.split(',');
    [reexecute1, reexecute2, reexecute3, reexecute4, reexecute5, reexecute6].forEach((reexecute, index) => {
      if (active[index] === 'true') reexecute({ requestPolicy: 'network-only' });
    });
  }, [activeKey, reexecute1, reexecute2, reexecute3, reexecute4, reexecute5, reexecute6]);
  return { conversations, result: page1[0], refresh };
}

function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  return (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? '');
}

export function ChatSidebar({ viewerPersonId, onNavigate }: { viewerPersonId: string; onNavigate?(): void }) {
  const searchId = useId();
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), 300);
  const [dmOpen, setDmOpen] = useState(false);
  const [channelFor, setChannelFor] = useState<string | null>(null);
  const { conversations, result, refresh } = useConversationList();
  const [groupsResult] = useQuery({ query: ChatGroupsQuery });
  // Unread counts that changed while the socket was down arrive with a fresh list.
  useOnReconnected(refresh);

  const groups = useMemo(
    () => groupsResult.data?.viewer?.groups.edges.map((edge) => edge.node) ?? [],
    [groupsResult.data],
  );
  const managedGroups: ChannelGroup[] = groups.filter((group) => group.viewerCanCreateChannels);

  const sections = useMemo(() => {
    const byGroup = new Map<string, GroupSection>();
    for (const conversation of conversations) {
      if (conversation.kind !== 'CHANNEL' || !conversation.group) continue;
      const group = conversation.group;
      let section = byGroup.get(group.id);
      if (!section) {
        section = { id: group.id, name: group.name, canManage: group.viewerCanCreateChannels, channels: [] };
        byGroup.set(group.id, section);
      }
      section.channels.push(conversation);
    }
    for (const section of byGroup.values()) {
      section.channels.sort(
        (a, b) => Number(b.isDefault) - Number(a.isDefault) || (a.name ?? a.title).localeCompare(b.name ?? b.title),
      );
    }
    return [...byGroup.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [conversations]);
  const directs = useMemo(
    () => conversations.filter((conversation) => conversation.kind !== 'CHANNEL').sort(byActivity),
    [conversations],
  );

  return (
    <nav className="chat-sidebar" aria-label="Conversations">
      <div className="chat-sidebar__top">
        <search className="chat-search">
          <label htmlFor={searchId} className="visually-hidden">
            Search messages
          </label>
          <svg viewBox="0 0 20 20" aria-hidden="true" className="chat-search__icon">
            <circle cx="9" cy="9" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.7" />
            <path d="m13 13 4 4" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
          </svg>
          <input
            id={searchId}
            className="chat-search__input"
            type="search"
            placeholder="Search messages"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onKeyDown={(event) => event.key === 'Escape' && setSearch('')}
          />
        </search>
        <button type="button" className="chat-new-button" onClick={() => setDmOpen(true)}>
          <svg viewBox="0 0 20 20" aria-hidden="true" width="18" height="18">
            <path
              d="M4 16l1-4 8-8 3 3-8 8-4 1z"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.6"
              strokeLinejoin="round"
            />
          </svg>
          New message
        </button>
      </div>

      {query ? (
        <SearchResults query={query} onOpen={() => onNavigate?.()} />
      ) : (
        <div className="chat-sidebar__lists">
          {result.error && !result.data && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
          {!result.data && !result.error && <p className="loading chat-sidebar__note">Loading…</p>}
          {sections.map((section) => (
            <section key={section.id} className="chat-sidebar__section" aria-labelledby={`${searchId}-${section.id}`}>
              <div className="chat-sidebar__heading-row">
                <h2 className="chat-sidebar__heading" id={`${searchId}-${section.id}`}>
                  {section.name}
                </h2>
                {section.canManage && (
                  <button
                    type="button"
                    className="icon-button icon-button--sm"
                    aria-label={`New channel in ${section.name}`}
                    title="New channel"
                    onClick={() => setChannelFor(section.id)}
                  >
                    <svg viewBox="0 0 20 20" aria-hidden="true" width="16" height="16">
                      <path d="M10 4v12M4 10h12" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
                    </svg>
                  </button>
                )}
              </div>
              <ul className="plain-list">
                {section.channels.map((conversation) => (
                  <li key={conversation.id}>
                    <ChannelLink conversation={conversation} />
                  </li>
                ))}
              </ul>
            </section>
          ))}
          {result.data && sections.length === 0 && (
            <p className="chat-sidebar__note muted">
              Channels of your groups show up here. <Link to="/groups">Find a group to join</Link>.
            </p>
          )}
          <section className="chat-sidebar__section" aria-labelledby={`${searchId}-direct`}>
            <div className="chat-sidebar__heading-row">
              <h2 className="chat-sidebar__heading" id={`${searchId}-direct`}>
                Direct messages
              </h2>
            </div>
            {result.data && directs.length === 0 ? (
              <p className="chat-sidebar__note muted">No direct messages yet.</p>
            ) : (
              <ul className="plain-list">
                {directs.map((conversation) => (
                  <li key={conversation.id}>
                    <DirectLink conversation={conversation} viewerPersonId={viewerPersonId} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}

      <StartDirectDialog open={dmOpen} onClose={() => setDmOpen(false)} />
      <CreateChannelDialog
        open={channelFor !== null}
        groups={managedGroups.length > 0 ? managedGroups : sections.filter((section) => section.canManage)}
        initialGroupId={channelFor}
        onClose={() => setChannelFor(null)}
      />
    </nav>
  );
}
