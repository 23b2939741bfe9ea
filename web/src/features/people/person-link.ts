export function personPath(id: string): string {
  return `/people/${encodeURIComponent(id)}`;
}
