import { type ComponentType, type LazyExoticComponent, lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import './status-page.css';

/**
 * A route's page, loaded the first time it is shown: its module (and whatever only it imports) becomes its
 * own chunk, so the first page downloads the shell and itself, not the whole app. A chunk that fails to
 * load (offline, or an old tab after a deploy replaced it) throws to the route's errorElement, which offers
 * a reload.
 */
export function lazyPage<K extends string, M extends Record<K, ComponentType>>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<ComponentType> {
  return lazy(async (): Promise<{ default: ComponentType }> => ({ default: (await load())[name] }));
}

/**
 * Gives each route's element its own Suspense boundary, whose fallback keeps the header and navigation in
 * place while the page's chunk arrives.
 */
export function withPageSuspense(routes: RouteObject[]): RouteObject[] {
  return routes.map((route) =>
    route.element ? { ...route, element: <Suspense fallback={<PageLoading />}>{route.element}</Suspense> } : route,
  ) as RouteObject[];
}

/** Shown only if the page takes a moment (see .page-loading): a quick load shows nothing at all. */
export function PageLoading() {
  return (
    <p className="loading page-loading" role="status">
      Loading…
    </p>
  );
}
