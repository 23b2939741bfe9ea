import { useEffect } from 'react';

const SITE_NAME = 'Guildhall';

// Screen readers announce the title on navigation, and it is what a member sees in their tabs and history.
export function usePageTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · ${SITE_NAME}` : SITE_NAME;
  }, [title]);
}
