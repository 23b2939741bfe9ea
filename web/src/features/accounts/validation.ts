// Client-side checks mirror the server's input rules so most mistakes are caught before a round trip.
// The server stays the authority: whatever it reports is shown too.

export type AccountField = 'email' | 'password' | 'name' | 'currentPassword' | 'newPassword';
export type FieldErrors<Field extends AccountField> = Partial<Record<Field, string>>;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 100;

// Deliberately loose (something@something.tld): the server decides what it accepts, and a strict pattern
// here would only reject addresses the server would take.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(email: string): string | undefined {
  const trimmed = email.trim();
  if (trimmed === '') return 'Enter your email address.';
  if (!EMAIL_SHAPE.test(trimmed)) return 'Enter an email address like name@example.com.';
  return undefined;
}

export function checkNewPassword(password: string): string | undefined {
  if (password === '') return 'Enter a password.';
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return undefined;
}

// Signing in only rejects what can never match: an existing password may predate today's minimum, so
// "too short" is left for the server to answer.
export function checkExistingPassword(password: string): string | undefined {
  if (password === '') return 'Enter your password.';
  if (password.length > PASSWORD_MAX) return `Passwords are at most ${PASSWORD_MAX} characters.`;
  return undefined;
}

export function checkName(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter your name.';
  if (trimmed.length > NAME_MAX) return `Use at most ${NAME_MAX} characters.`;
  return undefined;
}

export function withoutEmpty<Field extends AccountField>(
  errors: Record<Field, string | undefined>,
): FieldErrors<Field> {
  const result: FieldErrors<Field> = {};
  for (const field of Object.keys(errors) as Field[]) {
    const message = errors[field];
    if (message) result[field] = message;
  }
  return result;
}
