import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import {
  AcceptInviteMutation,
  CancelJoinRequestMutation,
  JoinGroupMutation,
  LeaveGroupMutation,
  RequestToJoinGroupMutation,
} from './documents';
import type { GroupRole, GroupVisibility } from './labels';

type Status = 'NONE' | 'MEMBER' | 'PENDING' | 'BANNED' | 'INVITED';

interface JoinControlsProps {
  groupId: string;
  groupName: string;
  visibility: GroupVisibility;
  status: Status;
  role: GroupRole | null;
  /** Group.viewerInvite: the viewer's live direct invite, accepted by its id. */
  inviteId: string | null;
  /** Group.viewerJoinRequest: the viewer's own pending request, from any tab or device. */
  joinRequestId: string | null;
  onChanged(): void;
}

export function JoinControls({
  groupId,
  groupName,
  visibility,
  status,
  role,
  inviteId,
  joinRequestId,
  onChanged,
}: JoinControlsProps) {
  const [asking, setAsking] = useState(false);
  const [message, setMessage] = useState('');
  const [needsVerifiedEmail, setNeedsVerifiedEmail] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [, join] = useMutation(JoinGroupMutation);
  const [, request] = useMutation(RequestToJoinGroupMutation);
  const [, cancel] = useMutation(CancelJoinRequestMutation);
  const [, acceptInvite] = useMutation(AcceptInviteMutation);
  const [, leave] = useMutation(LeaveGroupMutation);
  const messageRef = useRef<HTMLTextAreaElement>(null);
  const controlsRef = useRef<HTMLDivElement>(null);
  // After an action replaces the button that had focus, focus moves to the new state instead of the page.
  const [refocus, setRefocus] = useState(false);

  useEffect(() => {
    if (asking) messageRef.current?.focus();
  }, [asking]);

  useEffect(() => {
    if (!refocus) return;
    setRefocus(false);
    controlsRef.current?.querySelector<HTMLElement>('button, [tabindex="-1"]')?.focus();
  }, [refocus]);

  async function run(action: () => Promise<{ ok: true } | { ok: false; message: string; code?: string }>) {
    setBusy(true);
    setError(null);
    setNeedsVerifiedEmail(false);
    const outcome = await action();
    setBusy(false);
    if (outcome.ok) {
      onChanged();
      setRefocus(true);
    } else {
      setError(outcome.message);
      // The one refusal a member can fix themselves: prove their address, then join.
      setNeedsVerifiedEmail(outcome.code === 'DOMAIN_NOT_ALLOWED');
    }
    return outcome.ok;
  }

  const onJoin = () =>
    run(async () => {
      const response = await join({ input: { groupId } });
      return outcomeOf(response.data?.joinGroup, response.error, 'GroupPayload');
    });

  async function onRequest(event: FormEvent) {
    event.preventDefault();
    const ok = await run(async () => {
      const response = await request({ input: { groupId, message: message.trim() || null } });
      return outcomeOf(response.data?.requestToJoinGroup, response.error, 'JoinRequestPayload');
    });
    if (ok) setAsking(false);
  }

  const onCancel = () =>
    run(async () => {
      if (!joinRequestId) return { ok: false, message: 'This request can’t be cancelled from here.' };
      const response = await cancel({ input: { requestId: joinRequestId } });
      return outcomeOf(response.data?.cancelJoinRequest, response.error, 'JoinRequestPayload');
    });

  const onAccept = () =>
    run(async () => {
      if (!inviteId) return { ok: false, message: 'This invite can no longer be accepted.' };
      const response = await acceptInvite({ input: { inviteId } });
      return outcomeOf(response.data?.acceptInvite, response.error, 'GroupPayload');
    });

  const onLeave = () =>
    run(async () => {
      const response = await leave({ input: { groupId } });
      const outcome = outcomeOf(response.data?.leaveGroup, response.error, 'GroupPayload');
      setConfirmLeave(false);
      return outcome;
    });

  let controls: ReactNode;
  switch (status) {
    case 'MEMBER':
      controls = confirmLeave ? (
        <fieldset className="row" aria-label="Confirm leaving">
          <span>Leave {groupName}?</span>
          <Button variant="secondary" size="sm" busy={busy} onClick={() => void onLeave()}>
            Yes, leave
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setConfirmLeave(false)}>
            Stay
          </Button>
        </fieldset>
      ) : (
        <Button
          variant="secondary"
          size="sm"
          onClick={() => setConfirmLeave(true)}
          disabled={role === 'OWNER'}
          title={role === 'OWNER' ? 'Hand ownership to another member first' : undefined}
        >
          Leave group
        </Button>
      );
      break;
    case 'PENDING':
      controls = (
        <div className="row">
          <span className="tag tag--warning" tabIndex={-1}>
            Request pending
          </span>
          <span className="small muted">An admin will decide; you’ll get a notification.</span>
          {joinRequestId && (
            <Button variant="ghost" size="sm" busy={busy} onClick={() => void onCancel()}>
              Cancel request
            </Button>
          )}
        </div>
      );
      break;
    case 'BANNED':
      controls = <p className="muted">You can’t join this group.</p>;
      break;
    case 'INVITED':
    case 'NONE':
      if (status === 'INVITED' && inviteId) {
        controls = (
          <div className="row">
            <span className="tag tag--primary" tabIndex={-1}>
              You’re invited
            </span>
            <Button busy={busy} onClick={() => void onAccept()}>
              Accept invite
            </Button>
          </div>
        );
      } else if (visibility === 'PUBLIC') {
        controls = (
          <div className="row">
            {status === 'INVITED' && <span className="tag tag--primary">You’re invited</span>}
            <Button busy={busy} onClick={() => void onJoin()}>
              Join group
            </Button>
          </div>
        );
      } else if (asking) {
        controls = (
          <form className="stack stack--tight join-request-form" onSubmit={(event) => void onRequest(event)}>
            <TextAreaField
              ref={messageRef}
              label="Message to the admins (optional)"
              hint="Say who you are or why you’d like to join."
              value={message}
              maxLength={500}
              rows={3}
              onChange={(event) => setMessage(event.target.value)}
            />
            <div className="row">
              <Button type="submit" busy={busy}>
                Send request
              </Button>
              <Button variant="ghost" onClick={() => setAsking(false)}>
                Cancel
              </Button>
            </div>
          </form>
        );
      } else {
        controls = <Button onClick={() => setAsking(true)}>Ask to join</Button>;
      }
      break;
  }

  return (
    <div className="stack stack--tight" ref={controlsRef}>
      {error && (
        <Alert tone="error">
          {error}
          {needsVerifiedEmail && (
            <>
              {' '}
              <Link to="/settings/email">Confirm your email address</Link>
            </>
          )}
        </Alert>
      )}
      {controls}
    </div>
  );
}
