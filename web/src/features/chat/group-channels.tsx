import { Link } from 'react-router';
import { useQuery } from 'urql';
import { conversationPath } from './chat-types';
import { GroupChannelsQuery } from './documents';
import './chat.css';

/** The group page's "Channels" card: links into chat for members. */
export function GroupChannelsCard({ slug, isMember }: { slug: string; isMember: boolean }) {
  const [result] = useQuery({ query: GroupChannelsQuery, variables: { slug }, pause: !isMember });
  const channels = result.data?.group?.channels ?? [];
  return (
    <section className="card" aria-labelledby="channels-title">
      <h2 className="card__title" id="channels-title">
        Channels
      </h2>
      {!isMember ? (
        <p className="muted">Join this group to chat in its channels.</p>
      ) : !result.data ? (
        <p className="loading">Loading…</p>
      ) : channels.length === 0 ? (
        <p className="muted">No channels yet.</p>
      ) : (
        <ul className="plain-list divided-list">
          {channels.map((channel) => (
            <li key={channel.id} className="list-row">
              <div className="list-row__main">
                <p className="list-row__title">
                  <Link to={conversationPath(channel.id)}>#{channel.name ?? channel.title}</Link>
                  {channel.unreadCount > 0 && (
                    <span className="chat-badge group-channel__badge">{channel.unreadCount} unread</span>
                  )}
                </p>
                {channel.topic && <p className="list-row__meta">{channel.topic}</p>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
