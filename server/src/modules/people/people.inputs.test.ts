import { describe, expect, it } from 'vitest';
import {
  bioInput,
  headlineInput,
  linkUrlInput,
  profileNameInput,
  skillListInput,
  skillNameInput,
  slugOf,
} from './people.inputs.js';
import { timeZoneSchema } from '../../lib/time.js';

describe('profile inputs', () => {
  it('trims names and refuses blank or over-long ones', () => {
    expect(profileNameInput.parse('  Ada Okafor ')).toBe('Ada Okafor');
    expect(profileNameInput.safeParse('   ').success).toBe(false);
    expect(profileNameInput.safeParse('n'.repeat(101)).success).toBe(false);
  });

  it('bounds headline (120) and bio (2000) without truncating', () => {
    expect(headlineInput.safeParse('h'.repeat(120)).success).toBe(true);
    expect(headlineInput.safeParse('h'.repeat(121)).success).toBe(false);
    expect(bioInput.safeParse('b'.repeat(2001)).success).toBe(false);
    expect(bioInput.parse('line one\nline two')).toBe('line one\nline two');
  });

  it('accepts real IANA time zones and UTC, nothing else', () => {
    expect(timeZoneSchema.parse('Europe/Berlin')).toBe('Europe/Berlin');
    expect(timeZoneSchema.parse('UTC')).toBe('UTC');
    // Stored canonical: ICU's Asia/Calcutta and lower-case input become IANA's Asia/Kolkata.
    expect(timeZoneSchema.parse('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(timeZoneSchema.parse('asia/calcutta')).toBe('Asia/Kolkata');
    expect(timeZoneSchema.safeParse('+05:30').success).toBe(false);
    expect(timeZoneSchema.safeParse('Mars/Olympus_Mons').success).toBe(false);
    expect(timeZoneSchema.safeParse('GMT+25').success).toBe(false);
  });

  it('accepts only absolute http(s) links', () => {
    expect(linkUrlInput.safeParse('https://example.com/ada').success).toBe(true);
    expect(linkUrlInput.safeParse('http://example.com').success).toBe(true);
    for (const bad of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://example.com', 'example.com', 'https://']) {
      expect(linkUrlInput.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('bounds skill names to 1–40 characters with a letter or digit', () => {
    expect(skillNameInput.safeParse('TypeScript').success).toBe(true);
    expect(skillNameInput.safeParse('s'.repeat(41)).success).toBe(false);
    expect(skillNameInput.safeParse('---').success).toBe(false);
  });

  it('refuses more than 30 skills and the same skill twice', () => {
    const many = Array.from({ length: 31 }, (_, i) => ({ name: `Skill ${i}` }));
    expect(skillListInput.safeParse(many).success).toBe(false);
    const twice = skillListInput.safeParse([{ name: 'Node.js' }, { name: 'node js' }]);
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]?.path).toEqual([1, 'name']);
  });
});

describe('slugOf', () => {
  it('matches the seeded slugs and keeps symbols that carry meaning apart', () => {
    expect(slugOf('Node.js')).toBe('node-js');
    expect(slugOf('Machine Learning')).toBe('machine-learning');
    expect(slugOf('C++')).toBe('c-plus-plus');
    expect(slugOf('C#')).toBe('c-sharp');
    expect(slugOf('Café')).toBe('cafe');
  });
});
