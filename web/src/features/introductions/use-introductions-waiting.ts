import { useQuery, useSubscription } from 'urql';
import { IntroductionEventsSubscription, IntroductionsWaitingQuery } from './documents';

// The signed-in session's one introductionEvents subscription (graphcache merges each event and re-reads
// the lists it may have entered or left: api-client's updates), and how many introductions wait for the
// viewer: requests to pass on, and introductions to answer.
export function useIntroductionsWaiting(): number {
  useSubscription({ query: IntroductionEventsSubscription });
  const [result] = useQuery({ query: IntroductionsWaitingQuery });
  const data = result.data;
  if (!data) return 0;
  const toForward = data.toForward.edges.filter((edge) => edge.node.viewerCanForward).length;
  const toAnswer = data.toAnswer.edges.filter((edge) => edge.node.viewerCanAccept).length;
  return toForward + toAnswer;
}
