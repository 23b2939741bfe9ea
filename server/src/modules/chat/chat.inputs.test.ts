import { describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../lib/global-id.js';
import {
  channelNameInput,
  clientIdInput,
  emojiInput,
  MAX_MESSAGE_LENGTH,
  mentionedUserIds,
  messageBodyInput,
} from './chat.inputs.js';

const ada = '0192f3a4-5b6c-7d8e-9f01-23456789abcd';
const bob = '0192f3a4-5b6c-7d8e-9f01-23456789abce';

describe('chat input validation', () => {
  it('accepts a message of exactly 4000 characters and refuses 4001 (never truncates)', () => {
    expect(messageBodyInput.safeParse('x'.repeat(MAX_MESSAGE_LENGTH)).success).toBe(true);
    expect(messageBodyInput.safeParse('x'.repeat(MAX_MESSAGE_LENGTH + 1)).success).toBe(false);
  });

  it('refuses a message that is only whitespace and trims the rest', () => {
    expect(messageBodyInput.safeParse('  \n\t ').success).toBe(false);
    expect(messageBodyInput.parse('  hi\r\nthere  ')).toBe('hi\nthere');
  });

  it('takes UUID-like client ids and refuses anything that could be confused with markup or paths', () => {
    expect(clientIdInput.safeParse('7d3f0c6e-5a1b-4c2d-9e8f-0a1b2c3d4e5f').success).toBe(true);
    expect(clientIdInput.safeParse('').success).toBe(false);
    expect(clientIdInput.safeParse('a b').success).toBe(false);
    expect(clientIdInput.safeParse('x'.repeat(65)).success).toBe(false);
  });

  it('takes one emoji, including ZWJ sequences and flags, and refuses text or two emoji', () => {
    for (const emoji of ['👍', '❤️', '👩🏽‍💻', '🇩🇪', '🎉'])
      expect(emojiInput.safeParse(emoji).success, emoji).toBe(true);
    for (const text of ['', 'a', '👍👍', '<b>', ':)']) expect(emojiInput.safeParse(text).success, text).toBe(false);
  });

  it('normalises channel names to lower case and refuses spaces and a leading "-"', () => {
    expect(channelNameInput.parse('Jobs-Berlin')).toBe('jobs-berlin');
    expect(channelNameInput.safeParse('has space').success).toBe(false);
    expect(channelNameInput.safeParse('-x').success).toBe(false);
    expect(channelNameInput.safeParse('x'.repeat(41)).success).toBe(false);
  });
});

describe('mentions in a message body', () => {
  it('finds each mentioned person once, by the id in the link, whatever name is shown', () => {
    const body = `hi @[Ada L](${encodeGlobalId('Person', ada)}) and @[Bobby](${encodeGlobalId('Person', bob)}), again @[A](${encodeGlobalId('Person', ada)})`;
    expect(mentionedUserIds(body)).toEqual([ada, bob]);
  });

  it('ignores ids of other types and malformed mentions', () => {
    const body = `@[Group](${encodeGlobalId('Group', ada)}) @[x](not-an-id) @Ada [Ada](${encodeGlobalId('Person', ada)})`;
    expect(mentionedUserIds(body)).toEqual([]);
  });

  it("does not count a mention written in code, in a link's text or behind a backslash", () => {
    const id = encodeGlobalId('Person', ada);
    const body = `\`@[Ada](${id})\` and\n\n\`\`\`\n@[Ada](${id})\n\`\`\`\n\n[see @[Ada](${id})](https://x.dev) \\@[Ada](${id})`;
    expect(mentionedUserIds(body)).toEqual([]);
    expect(mentionedUserIds(`${body} but @[Bob](${encodeGlobalId('Person', bob)})`)).toEqual([bob]);
  });
});
