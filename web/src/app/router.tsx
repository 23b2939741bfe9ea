import { createBrowserRouter } from 'react-router';
import { SignInPage } from '../features/accounts/sign-in-page';
import { EmailSettingsPage } from '../features/accounts/email-settings-page';
import { SignUpPage } from '../features/accounts/sign-up-page';
import { ConfirmSignUpPage } from '../features/accounts/confirm-sign-up-page';
import { ForgotPasswordPage } from '../features/accounts/forgot-password-page';
import { ResetPasswordPage } from '../features/accounts/reset-password-page';
import { ChangePasswordPage } from '../features/accounts/change-password-page';
import { VerifyEmailPage } from '../features/accounts/verify-email-page';
import { EventPage } from '../features/events/event-page';
import { EventsPage } from '../features/events/events-page';
import { CreateEventPage } from '../features/events/create-event-page';
import { AcceptInvitePage } from '../features/groups/accept-invite-page';
import { CreateGroupPage } from '../features/groups/create-group-page';
import { GroupAdminPage } from '../features/groups/group-admin-page';
import { GroupPage } from '../features/groups/group-page';
import { GroupsPage } from '../features/groups/groups-page';
import { HomePage } from '../features/home/home-page';
import { MentoringSettingsPage } from '../features/mentorship/mentoring-settings-page';
import { FindMentorPage } from '../features/mentorship/find-mentor-page';
import { ProgramDashboardPage } from '../features/mentorship/program-dashboard-page';
import { MentorshipPage } from '../features/mentorship/mentorship-page';
import { MentorshipRequestsPage } from '../features/mentorship/requests-page';
import { MentorshipsPage } from '../features/mentorship/mentorships-page';
import { RequestMentorshipPage } from '../features/mentorship/request-page';
import { ProgramPairingsPage } from '../features/mentorship/program-pairings-page';
import { NotificationsPage } from '../features/notifications/notifications-page';
import { EditOfficeHoursPage } from '../features/office-hours/edit-page';
import { ManageOfficeHoursPage } from '../features/office-hours/manage-page';
import { PublishOfficeHoursPage } from '../features/office-hours/publish-page';
import { PeoplePage } from '../features/people/people-page';
import { PersonPage } from '../features/people/person-page';
import { ProfileEditorPage } from '../features/people/profile-editor-page';
import { BlockedPeoplePage } from '../features/safety/blocked-people-page';
import { ModerationLogPage } from '../features/safety/moderation-log-page';
import { ModerationQueuePage } from '../features/safety/moderation-queue-page';
import { BookingsPage } from '../features/office-hours/bookings-page';
import { CalendarSettingsPage } from '../features/office-hours/calendar-settings-page';
import { OfficeHoursPage } from '../features/office-hours/office-hours-page';
import { OfficeHoursSlotPage } from '../features/office-hours/slot-page';
import { IntroducePage } from '../features/introductions/introduce-page';
import { IntroductionPage } from '../features/introductions/introduction-page';
import { IntroductionsPage } from '../features/introductions/introductions-page';
import { AppLayout, type RouteLayout } from './app-layout';
import { NotFoundPage } from './not-found-page';
import { RequireSignIn } from './require-sign-in';
import { RouteErrorPage } from './route-error-page';

const FILL: RouteLayout = { layout: 'fill' };

async function chatRoute() {
  const { ChatPage } = await import('../features/chat/chat-page');
  return {
    element: (
      <RequireSignIn>
        <ChatPage />
      </RequireSignIn>
    ),
  };
}

// Every path here must also reach index.html on the server (SPA fallback), or a reload would 404.
export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'sign-up', element: <SignUpPage /> },
      // The links in the sign-up and reset emails (see server/src/modules/accounts/account-mail.ts).
      { path: 'sign-up/confirm', element: <ConfirmSignUpPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      {
        path: 'settings/password',
        element: (
          <RequireSignIn>
            <ChangePasswordPage />
          </RequireSignIn>
        ),
      },
      // The link in the confirmation email; a signed-out visitor signs in and comes back with the token.
      {
        path: 'verify-email',
        element: (
          <RequireSignIn>
            <VerifyEmailPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'settings/email',
        element: (
          <RequireSignIn>
            <EmailSettingsPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'people',
        element: (
          <RequireSignIn>
            <PeoplePage />
          </RequireSignIn>
        ),
      },
      {
        path: 'people/:id',
        element: (
          <RequireSignIn>
            <PersonPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'profile',
        element: (
          <RequireSignIn>
            <ProfileEditorPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'groups',
        element: (
          <RequireSignIn>
            <GroupsPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'groups/new',
        element: (
          <RequireSignIn>
            <CreateGroupPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'groups/:slug',
        element: (
          <RequireSignIn>
            <GroupPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'groups/:slug/admin',
        element: (
          <RequireSignIn>
            <GroupAdminPage />
          </RequireSignIn>
        ),
      },
      // A program's mentoring dashboard (its owners and admins); its charts load only there.
      {
        path: 'groups/:slug/mentoring',
        element: (
          <RequireSignIn>
            <ProgramDashboardPage />
          </RequireSignIn>
        ),
      },
      // Moderation: a group's queue and log (its moderators), the instance's (its admins), your blocks.
      ...(['groups/:slug/moderation', 'moderation'] as const).flatMap((path) => [
        {
          path,
          element: (
            <RequireSignIn>
              <ModerationQueuePage />
            </RequireSignIn>
          ),
        },
        {
          path: `${path}/log`,
          element: (
            <RequireSignIn>
              <ModerationLogPage />
            </RequireSignIn>
          ),
        },
      ]),
      {
        path: 'settings/mentoring',
        element: (
          <RequireSignIn>
            <MentoringSettingsPage />
          </RequireSignIn>
        ),
      },
      // Mentorship: ask a mentor, the requests, your mentorships and one mentorship.
      ...(
        [
          ['mentors/:personId/request', <RequestMentorshipPage key="request" />],
          ['mentorship/requests', <MentorshipRequestsPage key="requests" />],
          ['mentorships', <MentorshipsPage key="mentorships" />],
          ['mentorships/:id', <MentorshipPage key="mentorship" />],
          ['groups/:slug/pairings', <ProgramPairingsPage key="pairings" />],
        ] as const
      ).map(([path, page]) => ({ path, element: <RequireSignIn>{page}</RequireSignIn> })),
      {
        path: 'mentors',
        element: (
          <RequireSignIn>
            <FindMentorPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'settings/blocked',
        element: (
          <RequireSignIn>
            <BlockedPeoplePage />
          </RequireSignIn>
        ),
      },
      {
        path: 'groups/:slug/events/new',
        element: (
          <RequireSignIn>
            <CreateEventPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'events',
        element: (
          <RequireSignIn>
            <EventsPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'events/:id',
        element: (
          <RequireSignIn>
            <EventPage />
          </RequireSignIn>
        ),
      },
      {
        path: 'invites/:token',
        element: (
          <RequireSignIn>
            <AcceptInvitePage />
          </RequireSignIn>
        ),
      },
      {
        path: 'notifications',
        element: (
          <RequireSignIn>
            <NotificationsPage />
          </RequireSignIn>
        ),
      },
      // Office hours (member side, W1): a host's page works signed out (its slots ask to sign in to book and
      // come back); my bookings and waitlists; the private calendar feed and reminder times.
      { path: 'office-hours/:hostId', element: <OfficeHoursPage /> },
      // Notifications link to one slot: it opens its host's page on it.
      { path: 'office-hours/slots/:slotId', element: <OfficeHoursSlotPage /> },
      ...(
        [
          ['bookings', <BookingsPage key="bookings" />],
          ['settings/calendar', <CalendarSettingsPage key="calendar" />],
        ] as const
      ).map(([path, page]) => ({ path, element: <RequireSignIn>{page}</RequireSignIn> })),
      // Chat fills the window below the header (see AppLayout); the list scrolls, not the page. It is the
      // largest feature, so its code loads when first opened rather than with every page.
      { path: 'chat', lazy: chatRoute, handle: FILL },
      { path: 'chat/:conversationId', lazy: chatRoute, handle: FILL },
      // Office hours (host side, W2): the host's own series, publishing and editing one. Static segments, so
      // they win over the public page's office-hours/:hostId.
      ...(
        [
          ['office-hours/manage', <ManageOfficeHoursPage key="manage" />],
          ['office-hours/new', <PublishOfficeHoursPage key="new" />],
          ['office-hours/:id/edit', <EditOfficeHoursPage key="edit" />],
        ] as const
      ).map(([path, page]) => ({ path, element: <RequireSignIn>{page}</RequireSignIn> })),
      // Introductions (issue 12): ask from a profile, the three tabs, one introduction (notifications and the
      // conversation's opening card link there).
      ...(
        [
          ['people/:id/introduce', <IntroducePage key="introduce" />],
          ['introductions', <IntroductionsPage key="introductions" />],
          ['introductions/:id', <IntroductionPage key="introduction" />],
        ] as const
      ).map(([path, page]) => ({ path, element: <RequireSignIn>{page}</RequireSignIn> })),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
