import { useCallback, useState } from 'react';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { CheckInsPanel } from './check-ins-panel';
import { EndingPanel } from './ending-panel';
import { GoalsPanel } from './goals-panel';
import { RelationshipQuery } from './goals.documents';
import { useMentorshipActivity } from './use-mentorship-activity';
import './relationship.css';

// The running relationship on the one-mentorship page: goals, check-ins and the ending. Read once,
// and again on every change of this mentorship (its live activity) or after the viewer's own.
export function RelationshipPanels({ mentorshipId, onChanged }: { mentorshipId: string; onChanged: () => void }) {
  const [result, refetch] = useQuery({
    query: RelationshipQuery,
    variables: { id: mentorshipId },
    requestPolicy: 'cache-and-network',
  });
  const [ending, setEnding] = useState(false);
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useMentorshipActivity(reload);
  const changed = useCallback(() => {
    reload();
    onChanged();
  }, [reload, onChanged]);

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading goals and check-ins…</p>;
  const node = result.data.node;
  if (node?.__typename !== 'Mentorship') return null;
  const active = node.status === 'ACTIVE';
  return (
    <>
      <GoalsPanel mentorshipId={node.id} active={active} goals={node.goals} onChanged={changed} />
      <CheckInsPanel
        mentorshipId={node.id}
        active={active}
        checkIns={node.checkIns}
        mayEndForFit={node.viewerMayEndForFit}
        onEnd={() => setEnding(true)}
        onChanged={changed}
      />
      <EndingPanel mentorship={node} ending={ending} onEnding={setEnding} onChanged={changed} />
    </>
  );
}
