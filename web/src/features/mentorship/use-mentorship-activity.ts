import { useSubscription } from 'urql';
import { MentorshipActivitySubscription } from './requests.documents';

// Every mentorship page listens to mentorshipActivity: the event carries the request or mentorship as
// it is now (graphcache merges it), and `onActivity` lets the page read its lists again.
export function useMentorshipActivity(onActivity: () => void): void {
  useSubscription({ query: MentorshipActivitySubscription }, (_previous: null = null, data) => {
    if (data.mentorshipActivity) onActivity();
    return null;
  });
}
