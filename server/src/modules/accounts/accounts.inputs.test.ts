import { describe, expect, it } from 'vitest';
import { emailInput, nameInput, nextPathInput, passwordInput } from './accounts.inputs.js';

describe('account inputs', () => {
  it('normalises emails: trimmed, NFC, lower-cased', () => {
    expect(emailInput.parse('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });

  it('rejects emails that are malformed or longer than 254 characters', () => {
    expect(emailInput.safeParse('ada@').success).toBe(false);
    expect(emailInput.safeParse(`${'a'.repeat(250)}@example.com`).success).toBe(false);
  });

  it('counts password length in characters, not bytes, and keeps spaces', () => {
    expect(passwordInput.safeParse('🔑'.repeat(8)).success).toBe(true);
    expect(passwordInput.safeParse('🔑'.repeat(7)).success).toBe(false);
    expect(passwordInput.parse('  spaced  ')).toBe('  spaced  ');
    expect(passwordInput.safeParse('a'.repeat(129)).success).toBe(false);
  });

  it('trims names and refuses control characters', () => {
    expect(nameInput.parse('  Ada  ')).toBe('Ada');
    expect(nameInput.safeParse('Ada\u0007').success).toBe(false);
    expect(nameInput.safeParse('').success).toBe(false);
  });

  it('accepts only paths of this site as the place to return to after sign-up', () => {
    for (const path of ['/', '/groups/acme?tab=events', '/invite/abc#x'])
      expect(nextPathInput.safeParse(path).success).toBe(true);
    for (const path of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'groups', '/a b']) {
      expect(nextPathInput.safeParse(path).success).toBe(false);
    }
  });
});
