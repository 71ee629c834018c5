import { useEffect, type ReactElement } from 'react';
import { navigate, PAGES, type PageId } from '../stores/nav-store.js';
import { AlertsBell } from '../alerts/AlertsBell.js';

/** Alt+1 … Alt+9 jump to a page, in the order of the sidebar. */
function useNavigationShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const page = PAGES[Number(event.key) - 1];
      if (!page) return;
      event.preventDefault();
      navigate(page.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function Sidebar({ current }: { current: PageId }): ReactElement {
  useNavigationShortcuts();
  return (
    <nav className="sidebar" aria-label="Console pages">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span>
          StreetVision
          <small>operator console</small>
        </span>
      </div>
      <AlertsBell />
      <ul>
        {PAGES.map((page, index) => (
          <li key={page.id}>
            <a
              href={`#/${page.id}`}
              className="nav-link"
              aria-current={page.id === current ? 'page' : undefined}
              aria-keyshortcuts={`Alt+${index + 1}`}
              onClick={(event) => {
                event.preventDefault();
                navigate(page.id);
              }}
            >
              {page.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
