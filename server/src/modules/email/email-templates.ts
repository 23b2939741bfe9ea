import { z } from 'zod';
import type { DbClient } from '../../db.js';
import type { Env } from '../../env.js';
import type { EmailCategory } from '../../generated/prisma/enums.js';
import type { EmailContent } from './email-layout.js';
import type { UnsubscribeScope } from './unsubscribe-links.js';

// The registry of email templates. A template is declared once (at import time) by the module whose
// email it is; the outbox stores its name and data, and the delivery job renders it when it sends,
// so what an email says (and whether it is still allowed to say it) is decided at send time.

export interface TemplateRecipient {
  id: string;
  name: string;
  email: string;
  timeZone: string;
}

export interface TemplateContext {
  db: DbClient;
  env: Env;
  recipient: TemplateRecipient | null;
  now: Date;
}

export interface TemplateOutput {
  content: EmailContent;
  /** What the member may unsubscribe from with one click (notification and digest mail). */
  unsubscribe?: UnsubscribeScope;
  /** The footer's "why you get this". */
  reason?: string;
  /** A path in the web app where the member changes what they get (with unsubscribe only). */
  settingsPath?: string;
}

export interface EmailTemplate<D> {
  readonly name: string;
  readonly category: EmailCategory;
  readonly data: z.ZodType<D>;
  /** The data holds a secret (a verification link): erased from the outbox once the email is sent. */
  readonly secret: boolean;
  /** null: there is nothing to send any more (the row is cancelled). */
  render(data: D, ctx: TemplateContext): Promise<TemplateOutput | null>;
}

// Any data type fits: `render` is declared as a method, and delivery parses each row's data with
// the template's own schema before it calls it.
type AnyEmailTemplate = EmailTemplate<unknown>;
const registry = new Map<string, AnyEmailTemplate>();

const NAME = /^[a-z][a-z0-9-]{0,63}$/;

export function defineEmailTemplate<D>(template: {
  name: string;
  category: EmailCategory;
  data: z.ZodType<D>;
  secret?: boolean;
  render(data: D, ctx: TemplateContext): Promise<TemplateOutput | null>;
}): EmailTemplate<D> {
  if (!NAME.test(template.name)) throw new Error(`email template "${template.name}" must be kebab-case`);
  if (registry.has(template.name)) throw new Error(`email template "${template.name}" is defined twice`);
  const definition: EmailTemplate<D> = { ...template, secret: template.secret ?? false };
  registry.set(template.name, definition);
  return definition;
}

export function emailTemplate(name: string): AnyEmailTemplate | undefined {
  return registry.get(name);
}

/** Rows written before templates existed (and any plain message): a subject and a text. */
export const plainTemplate = defineEmailTemplate({
  name: 'plain',
  category: 'ACCOUNT',
  data: z.object({ subject: z.string().min(1), text: z.string() }),
  render: async (data) => ({
    content: {
      subject: data.subject,
      paragraphs: data.text
        .split(/\n{2,}/)
        .map((paragraph) => paragraph.trim())
        .filter(Boolean),
    },
  }),
});
