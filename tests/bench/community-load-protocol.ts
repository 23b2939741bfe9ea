import type { Usage } from './chat-processes.js';

// What the community load benchmark and its client workers say to each other over IPC.

/** What simulated members do, and how often relative to each other (Mattermost-style weights). */
export const ACTIONS = [
  { name: 'home', weight: 20 },
  { name: 'readChannel', weight: 25 },
  { name: 'postChannel', weight: 10 },
  { name: 'postDirect', weight: 6 },
  { name: 'react', weight: 10 },
  { name: 'browseGroups', weight: 8 },
  { name: 'browsePeople', weight: 8 },
  { name: 'officeHours', weight: 5 },
  { name: 'answerRequests', weight: 8 },
] as const;

export type ActionName = (typeof ACTIONS)[number]['name'];

export interface SeededLoadMember {
  userId: string;
  token: string;
  /** Which server instance this member's requests and live connection go to. */
  instance: number;
  /** Their group's #general (global id). */
  channelId: string;
  /** Another member of the same group they write to directly (global Person id). */
  directPeerId: string;
}

export interface LoadWorld {
  run: string;
  /** http://127.0.0.1:port of each server instance. */
  urls: string[];
  members: SeededLoadMember[];
  groupSlugs: string[];
  /** Global Person ids of members who host public office hours. */
  hostIds: string[];
  messages: string[];
  /** Mean think time between one member's actions. */
  meanThinkMs: number;
}

/** A channel message as sent: every socket subscribed to that channel before `at` must get `seq`. */
export interface Post {
  conversationId: string;
  seq: number;
  at: number;
}

export type LoadRequest =
  | { type: 'world'; world: LoadWorld }
  | { type: 'add'; count: number }
  | { type: 'pause' }
  | { type: 'report' }
  | { type: 'verify'; posts: Post[] }
  | { type: 'close' };

export interface StepReport {
  members: number;
  requests: number;
  errors: number;
  firstError: string | null;
  /** Milliseconds of each request (HTTP, as the client sees it). */
  latencies: number[];
  /** Per action (1–2 requests: what one click costs). */
  byAction: Record<string, { count: number; totalMs: number }>;
  posts: Post[];
  gaps: number;
  disorder: number;
  dropped: number;
  deliveries: number;
  usage: Usage;
}
