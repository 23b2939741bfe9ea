import { useCallback } from 'react';
import { useQuery } from 'urql';
import { readFragment, type ResultOf } from '../../app/graphql';
import { ViewerFields, ViewerQuery } from './documents';

export type Viewer = ResultOf<typeof ViewerFields>;

export type ViewerState =
  | { status: 'loading'; viewer: null }
  | { status: 'signed-in'; viewer: Viewer }
  | {
      status: 'signed-out';
      viewer: null;
      // The server could not be asked: treated as signed out so the page still works, with a notice.
      unreachable: boolean;
      retrying: boolean;
      retry(): void;
    };

export function useViewer(): ViewerState {
  const [result, reexecute] = useQuery({ query: ViewerQuery });
  const retry = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  if (result.data?.viewer) {
    return { status: 'signed-in', viewer: readFragment(ViewerFields, result.data.viewer) };
  }
  if (result.error) {
    return { status: 'signed-out', viewer: null, unreachable: true, retrying: result.fetching, retry };
  }
  if (result.data) {
    return { status: 'signed-out', viewer: null, unreachable: false, retrying: false, retry };
  }
  return { status: 'loading', viewer: null };
}
