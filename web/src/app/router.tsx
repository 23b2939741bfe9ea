import { createBrowserRouter } from 'react-router';
import { SignInPage } from '../features/accounts/sign-in-page';
import { SignUpPage } from '../features/accounts/sign-up-page';
import { HomePage } from '../features/home/home-page';
import { AppLayout } from './app-layout';
import { NotFoundPage } from './not-found-page';
import { RouteErrorPage } from './route-error-page';

// Every path here must also reach index.html on the server (SPA fallback), or a reload would 404.
export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'sign-up', element: <SignUpPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
