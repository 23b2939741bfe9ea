import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import type { IntroductionsThrough } from '../../generated/prisma/enums.js';
import { type BrokerCandidate, rankBrokers } from './brokers.scoring.js';
import {
  brokerConnections,
  introductionPartyWhere,
  mayBroker,
  takesIntroductionsFromWhere,
} from './introductions.policy.js';

// Whom the viewer could ask to introduce them to a member: everyone the policy lets broker between
// the two (brokerConnections + mayBroker: connected with both, through a link the target accepts,
// seen by the requester, kept apart from neither by a block), ranked by brokers.scoring.ts. A fixed
// number of statements whatever the number of candidates: the target, the connections (the
// policy's few), the candidates' names and their introductions that connected.

export const MAX_SUGGESTED_BROKERS = 10;

export interface SuggestedBroker {
  personId: string;
  reasons: string[];
  score: number;
}

export interface IntroductionBrokers {
  /** The target's id, null when the viewer may not see them (or may not ask about them: looks the same). */
  targetId: string | null;
  canAsk: boolean;
  reason: string | null;
  brokers: SuggestedBroker[];
}

const NOT_FOUND: IntroductionBrokers = {
  targetId: null,
  canAsk: false,
  reason: 'This member was not found.',
  brokers: [],
};

function nobodyWords(name: string, through: IntroductionsThrough): string {
  return through === 'MENTORSHIPS'
    ? `${name} takes introductions only through people they mentor or are mentored by, and none of them is connected to you.`
    : `Nobody you know is connected to ${name} yet.`;
}

function notTakingWords(name: string): string {
  return `${name} is not taking introductions right now.`;
}

/** The connections of every broker the policy lets introduce the viewer to the target (a few statements). */
async function possibleBrokers(
  db: DbClient,
  viewerId: string,
  target: { id: string; introductionsThrough: IntroductionsThrough },
) {
  const connections = await brokerConnections(db, { requesterId: viewerId, targetId: target.id });
  return [...connections].filter(([, links]) => mayBroker(links, target.introductionsThrough) === null);
}

export interface IntroductionOption {
  canAsk: boolean;
  /** Why not, in words (introductionBrokers' own); null when they may ask. */
  reason: string | null;
}

/**
 * For each of `targetIds`, whether the viewer may ask for an introduction to them and why not: the
 * same answer as introductionBrokers (someone they see, no block either way, open to introductions
 * as they may see it, and someone the policy lets broker). Two statements for the whole list, then
 * brokerConnections' few for each target still open to them (a profile's "Ask for an introduction":
 * Person.viewerActions).
 */
export async function introductionOptions(
  db: DbClient,
  viewerId: string,
  targetIds: readonly string[],
): Promise<Map<string, IntroductionOption>> {
  const ids = [...new Set(targetIds)];
  const result = new Map<string, IntroductionOption>(
    ids.map((id) => [id, { canAsk: false, reason: NOT_FOUND.reason }]),
  );
  const targets = await db.user.findMany({
    where: { id: { in: ids }, AND: [introductionPartyWhere(viewerId)] },
    select: { id: true, name: true, introductionsThrough: true },
  });
  if (targets.length === 0) return result;
  const open = new Set(
    (
      await db.user.findMany({
        where: { id: { in: targets.map((target) => target.id) }, AND: [takesIntroductionsFromWhere(viewerId)] },
        select: { id: true },
      })
    ).map((row) => row.id),
  );
  await Promise.all(
    targets.map(async (target) => {
      if (!open.has(target.id)) {
        result.set(target.id, { canAsk: false, reason: notTakingWords(target.name) });
        return;
      }
      const brokers = await possibleBrokers(db, viewerId, target);
      result.set(
        target.id,
        brokers.length > 0
          ? { canAsk: true, reason: null }
          : { canAsk: false, reason: nobodyWords(target.name, target.introductionsThrough) },
      );
    }),
  );
  return result;
}

export async function introductionBrokers(
  db: DbClient,
  viewerId: string,
  targetId: string,
  now: Date,
): Promise<IntroductionBrokers> {
  // Someone the viewer may not see, may not ask about (a block, either way), or the viewer: not found.
  const target = await db.user.findFirst({
    where: { id: targetId, AND: [introductionPartyWhere(viewerId)] },
    select: { id: true, name: true, introductionsThrough: true },
  });
  if (!target) return NOT_FOUND;
  // openTo as the viewer may see it: hidden from them reads as not taking introductions (the policy says why).
  const takes = await db.user.count({ where: { id: target.id, AND: [takesIntroductionsFromWhere(viewerId)] } });
  if (takes === 0) {
    return { targetId: target.id, canAsk: false, reason: notTakingWords(target.name), brokers: [] };
  }

  const mayAsk = await possibleBrokers(db, viewerId, target);
  if (mayAsk.length === 0) {
    return {
      targetId: target.id,
      canAsk: false,
      reason: nobodyWords(target.name, target.introductionsThrough),
      brokers: [],
    };
  }

  const ids = mayAsk.map(([id]) => id);
  const [people, connected] = await Promise.all([
    db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
    // Introductions each made that connected: accepted, and either side said "yes, we connected".
    db.introduction.groupBy({
      by: ['brokerId'],
      where: {
        brokerId: { in: ids },
        status: 'ACCEPTED',
        OR: [{ requesterFollowUp: 'YES' }, { targetFollowUp: 'YES' }],
      },
      _count: { _all: true },
    }),
  ]);
  const nameOf = new Map(people.map((person) => [person.id, person.name]));
  const connectedOf = new Map(connected.map((row) => [row.brokerId, row._count._all]));
  const candidates: BrokerCandidate[] = mayAsk.map(([id, links]) => ({
    id,
    name: nameOf.get(id) ?? '',
    links,
    connectedIntroductions: connectedOf.get(id) ?? 0,
  }));
  const ranked = rankBrokers(candidates, target.name, now, MAX_SUGGESTED_BROKERS);
  return {
    targetId: target.id,
    canAsk: true,
    reason: null,
    // The score shown is the rank, not the strength: the strength weighs the broker's mentorship and
    // conversation with the target (theirs alone), which the requester could work out from the number.
    brokers: ranked.map((broker, index) => ({
      personId: broker.id,
      reasons: broker.reasons,
      score: ranked.length - index,
    })),
  };
}

// ── Person.viewerCanAskIntroduction: one statement for every person a request shows ──

const askLoaders = new WeakMap<Context, (id: string) => Promise<boolean>>();

/** Whether the viewer may ask about this member at all: someone else they see, open to introductions, no block. */
export function viewerCanAskAbout(ctx: Context, personId: string): Promise<boolean> {
  const viewerId = ctx.viewer?.id;
  if (!viewerId || viewerId === personId) return Promise.resolve(false);
  let load = askLoaders.get(ctx);
  if (!load) {
    const cache = new Map<string, Promise<boolean>>();
    let pending: Array<{ id: string; resolve: (value: boolean) => void; reject: (error: unknown) => void }> = [];
    const flush = async () => {
      const batch = pending;
      pending = [];
      try {
        const rows = await ctx.db.user.findMany({
          where: {
            id: { in: [...new Set(batch.map((item) => item.id))] },
            AND: [introductionPartyWhere(viewerId), takesIntroductionsFromWhere(viewerId)],
          },
          select: { id: true },
        });
        const open = new Set(rows.map((row) => row.id));
        for (const item of batch) item.resolve(open.has(item.id));
      } catch (error) {
        for (const item of batch) {
          cache.delete(item.id);
          item.reject(error);
        }
      }
    };
    load = (id: string) => {
      const cached = cache.get(id);
      if (cached) return cached;
      const promise = new Promise<boolean>((resolve, reject) => {
        pending.push({ id, resolve, reject });
        // Like DataLoader: once the sibling fields resolving now have all asked.
        if (pending.length === 1) void Promise.resolve().then(() => process.nextTick(() => void flush()));
      });
      cache.set(id, promise);
      return promise;
    };
    askLoaders.set(ctx, load);
  }
  return load(personId);
}
