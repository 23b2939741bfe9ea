import type { ReactNode } from 'react';
import './alert.css';

type AlertTone = 'info' | 'error' | 'success';

interface AlertProps {
  tone?: AlertTone;
  title?: string;
  children: ReactNode;
  // Buttons or links that resolve the situation (retry, sign in again…).
  actions?: ReactNode;
  className?: string;
}

// Errors interrupt (role="alert"); everything else waits its turn (role="status").
export function Alert({ tone = 'info', title, children, actions, className }: AlertProps) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={['alert', `alert--${tone}`, className].filter(Boolean).join(' ')}
    >
      <div className="alert__body">
        {title && <p className="alert__title">{title}</p>}
        <div className="alert__message">{children}</div>
      </div>
      {actions && <div className="alert__actions">{actions}</div>}
    </div>
  );
}
