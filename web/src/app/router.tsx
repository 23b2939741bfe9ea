import { createBrowserRouter } from 'react-router';
import { AppLayout, type RouteLayout } from './app-layout';
import { lazyPage, withPageSuspense } from './lazy-page';
import { NotFoundPage } from './not-found-page';
import { RequireSignIn } from './require-sign-in';
import { RouteErrorPage } from './route-error-page';

// Each page's code (and what only it uses: charts, date pickers, forms) loads when the page is first
// opened, so the first page a visitor sees downloads only the shell and that page. See lazy-page.tsx.
const SignInPage = lazyPage(() => import('../features/accounts/sign-in-page'), 'SignInPage');
const EmailSettingsPage = lazyPage(() => import('../features/accounts/email-settings-page'), 'EmailSettingsPage');
const SignUpPage = lazyPage(() => import('../features/accounts/sign-up-page'), 'SignUpPage');
const ConfirmSignUpPage = lazyPage(() => import('../features/accounts/confirm-sign-up-page'), 'ConfirmSignUpPage');
const ForgotPasswordPage = lazyPage(() => import('../features/accounts/forgot-password-page'), 'ForgotPasswordPage');
const ResetPasswordPage = lazyPage(() => import('../features/accounts/reset-password-page'), 'ResetPasswordPage');
const ChangePasswordPage = lazyPage(() => import('../features/accounts/change-password-page'), 'ChangePasswordPage');
const VerifyEmailPage = lazyPage(() => import('../features/accounts/verify-email-page'), 'VerifyEmailPage');
const EventPage = lazyPage(() => import('../features/events/event-page'), 'EventPage');
const EventsPage = lazyPage(() => import('../features/events/events-page'), 'EventsPage');
const CreateEventPage = lazyPage(() => import('../features/events/create-event-page'), 'CreateEventPage');
const AcceptInvitePage = lazyPage(() => import('../features/groups/accept-invite-page'), 'AcceptInvitePage');
const CreateGroupPage = lazyPage(() => import('../features/groups/create-group-page'), 'CreateGroupPage');
const GroupAdminPage = lazyPage(() => import('../features/groups/group-admin-page'), 'GroupAdminPage');
const GroupPage = lazyPage(() => import('../features/groups/group-page'), 'GroupPage');
const GroupsPage = lazyPage(() => import('../features/groups/groups-page'), 'GroupsPage');
const HomePage = lazyPage(() => import('../features/home/home-page'), 'HomePage');
const MentoringSettingsPage = lazyPage(
  () => import('../features/mentorship/mentoring-settings-page'),
  'MentoringSettingsPage',
);
const FindMentorPage = lazyPage(() => import('../features/mentorship/find-mentor-page'), 'FindMentorPage');
const ProgramDashboardPage = lazyPage(
  () => import('../features/mentorship/program-dashboard-page'),
  'ProgramDashboardPage',
);
const MentorshipPage = lazyPage(() => import('../features/mentorship/mentorship-page'), 'MentorshipPage');
const MentorshipRequestsPage = lazyPage(() => import('../features/mentorship/requests-page'), 'MentorshipRequestsPage');
const MentorshipsPage = lazyPage(() => import('../features/mentorship/mentorships-page'), 'MentorshipsPage');
const RequestMentorshipPage = lazyPage(() => import('../features/mentorship/request-page'), 'RequestMentorshipPage');
const ProgramPairingsPage = lazyPage(
  () => import('../features/mentorship/program-pairings-page'),
  'ProgramPairingsPage',
);
const NotificationsPage = lazyPage(() => import('../features/notifications/notifications-page'), 'NotificationsPage');
const EditOfficeHoursPage = lazyPage(() => import('../features/office-hours/edit-page'), 'EditOfficeHoursPage');
const ManageOfficeHoursPage = lazyPage(() => import('../features/office-hours/manage-page'), 'ManageOfficeHoursPage');
const PublishOfficeHoursPage = lazyPage(
  () => import('../features/office-hours/publish-page'),
  'PublishOfficeHoursPage',
);
const PeoplePage = lazyPage(() => import('../features/people/people-page'), 'PeoplePage');
const PersonPage = lazyPage(() => import('../features/people/person-page'), 'PersonPage');
const ProfileEditorPage = lazyPage(() => import('../features/people/profile-editor-page'), 'ProfileEditorPage');
const BlockedPeoplePage = lazyPage(() => import('../features/safety/blocked-people-page'), 'BlockedPeoplePage');
const ModerationLogPage = lazyPage(() => import('../features/safety/moderation-log-page'), 'ModerationLogPage');
const ModerationQueuePage = lazyPage(() => import('../features/safety/moderation-queue-page'), 'ModerationQueuePage');
const BookingsPage = lazyPage(() => import('../features/office-hours/bookings-page'), 'BookingsPage');
const CalendarSettingsPage = lazyPage(
  () => import('../features/office-hours/calendar-settings-page'),
  'CalendarSettingsPage',
);
const OfficeHoursPage = lazyPage(() => import('../features/office-hours/office-hours-page'), 'OfficeHoursPage');
const OfficeHoursSlotPage = lazyPage(() => import('../features/office-hours/slot-page'), 'OfficeHoursSlotPage');
const IntroducePage = lazyPage(() => import('../features/introductions/introduce-page'), 'IntroducePage');
const IntroductionPage = lazyPage(() => import('../features/introductions/introduction-page'), 'IntroductionPage');
const IntroductionsPage = lazyPage(() => import('../features/introductions/introductions-page'), 'IntroductionsPage');

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
    children: withPageSuspense([
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
    ]),
  },
]);
