import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChatMember,
  chatMembers,
  editMessage,
  deleteMessage,
  groupWithMembers,
  query,
  send,
  sendMessage,
  startDirectConversation,
  toggleReaction,
} from '../support/chat.js';
import { createGroup, mutate } from '../support/groups.js';
import { startServer, type TestServer } from '../support/server.js';
import { block, globalId, notices, unblock } from '../support/safety.js';

// Blocking a member (people/blocking.policy.ts): every effect, each undone by unblocking. The
// blocked member is never told: each refusal is exactly what a stranger gets.

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
});

const NOBODY = globalId('Person', '00000000-0000-7000-8000-000000000000');

function mention(member: ChatMember): string {
  return `@[${member.name}](${member.personId})`;
}

async function directWith(who: ChatMember, others: ChatMember[]) {
  return startDirectConversation(
    url,
    who,
    others.map((other) => other.personId),
  );
}

async function mentionedKinds(who: ChatMember): Promise<string[]> {
  return (await notices(url, who)).map((notice) => notice.kind);
}

describe('blocking a member', () => {
  it('refuses a new direct message either way with the NOT_FOUND a stranger gets, and unblocking restores it', async () => {
    const [ada, ben, cal] = await chatMembers(url, ['Ada Block', 'Ben Block', 'Cal Block']);
    const stranger = await startDirectConversation(url, ben!, [NOBODY]);
    expect(stranger.__typename).toBe('NotFoundError');

    expect((await block(url, ada!, ben!)).person.viewerHasBlocked).toBe(true);
    const fromBlocked = await directWith(ben!, [ada!]);
    expect(fromBlocked).toEqual(stranger);
    const fromBlocker = await directWith(ada!, [ben!]);
    expect(fromBlocker).toEqual(stranger);
    // A group message of the two with a third person is a new DM with a blocked participant: refused.
    expect(await directWith(ben!, [ada!, cal!])).toEqual(stranger);
    // A block between two others does not stop a third from talking to both.
    expect((await directWith(cal!, [ada!, ben!])).__typename).toBe('ConversationPayload');

    expect((await unblock(url, ada!, ben!)).person.viewerHasBlocked).toBe(false);
    expect((await directWith(ben!, [ada!])).__typename).toBe('ConversationPayload');
  });

  it('refuses sends, edits and reactions in the direct message of the two (not deletes); a group DM goes on', async () => {
    const [ada, ben, cal] = await chatMembers(url, ['Ada Sends', 'Ben Sends', 'Cal Sends']);
    const dm = (await directWith(ben!, [ada!])).conversation!.id;
    const group = (await directWith(ben!, [ada!, cal!])).conversation!.id;
    const before = await send(url, ben!, dm, 'hello before');
    const older = await send(url, ben!, dm, 'another one');

    await block(url, ada!, ben!);
    // The NOT_FOUND a member gets for a conversation they are not in.
    const outsider = await sendMessage(url, cal!, dm, 'let me in');
    expect(outsider.__typename).toBe('NotFoundError');
    expect(await sendMessage(url, ben!, dm, 'are you there?')).toEqual(outsider);
    // The thread/mention path is a different statement: refused too.
    expect(await sendMessage(url, ben!, dm, `hey ${mention(ada!)}`)).toEqual(outsider);
    expect(await sendMessage(url, ben!, dm, 'in thread', { parentId: before.id })).toEqual(outsider);
    expect(await sendMessage(url, ada!, dm, 'the blocker cannot either')).toEqual(outsider);
    expect((await editMessage(url, ben!, before.id, 'edited after')).__typename).toBe('NotFoundError');
    expect((await toggleReaction(url, ben!, before.id, '👍')).__typename).toBe('NotFoundError');
    expect((await deleteMessage(url, ben!, older.id)).message?.deletedAt).toBeTruthy();
    // The group direct message of three is not the two's alone.
    expect((await sendMessage(url, ben!, group, 'hello group')).message?.body).toBe('hello group');

    await unblock(url, ada!, ben!);
    expect((await sendMessage(url, ben!, dm, 'back again')).message?.body).toBe('back again');
  });

  it("stops the blocked member's mentions and notifications reaching the blocker, not the blocker's reaching them", async () => {
    const [ada, ben] = await chatMembers(url, ['Ada Mentions', 'Ben Mentions']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    await block(url, ada!, ben!);

    const ignored = await send(url, ben!, group.general, `ping ${mention(ada!)}`);
    expect(ignored.mentions).toEqual([]);
    const back = await send(url, ada!, group.general, `note ${mention(ben!)}`);
    expect(back.mentions.map((person) => person.id)).toEqual([ben!.personId]);
    expect(await mentionedKinds(ada!)).not.toContain('MENTIONED');
    expect(await mentionedKinds(ben!)).toContain('MENTIONED');
    const channels = await query<{ node: { unreadMentionCount: number } }>(
      url,
      ada!,
      'query C($id: ID!) { node(id: $id) { ... on Conversation { unreadMentionCount } } }',
      { id: group.general },
    );
    expect(channels.node.unreadMentionCount).toBe(0);

    // Another kind with the blocked member as its actor: a join request to a group Ada owns.
    const priv = await createGroup(url, ada!, { name: `Private ${Date.now()}`, visibility: 'PRIVATE' });
    expect((await mutate(url, ben!, 'requestToJoinGroup', { groupId: priv.id })).__typename).toBe('JoinRequestPayload');
    expect(await mentionedKinds(ada!)).not.toContain('JOIN_REQUEST_RECEIVED');

    await unblock(url, ada!, ben!);
    const heard = await send(url, ben!, group.general, `again ${mention(ada!)}`);
    expect(heard.mentions.map((person) => person.id)).toEqual([ada!.personId]);
    expect(await mentionedKinds(ada!)).toContain('MENTIONED');
  });

  it("hides each from the other's suggestions: the directory's people search and mention candidates", async () => {
    const tag = `Zq${Date.now().toString(36)}`;
    const [ada, ben, cal] = await chatMembers(url, [`${tag} Ada`, `${tag} Ben`, `${tag} Cal`]);
    const group = await groupWithMembers(url, ada!, [ben!, cal!]);
    const found = async (who: ChatMember) => {
      const data = await query<{ people: { edges: Array<{ node: { id: string } }> } }>(
        url,
        who,
        'query P($text: String) { people(filter: { text: $text }, first: 20) { edges { node { id } } } }',
        { text: tag },
      );
      return data.people.edges.map((edge) => edge.node.id).sort();
    };
    const candidates = async (who: ChatMember) => {
      const data = await query<{ node: { mentionCandidates: Array<{ id: string }> } }>(
        url,
        who,
        'query M($id: ID!, $s: String) { node(id: $id) { ... on Conversation { mentionCandidates(search: $s) { id } } } }',
        { id: group.general, s: tag },
      );
      return data.node.mentionCandidates.map((person) => person.id).sort();
    };
    const ids = (...members: ChatMember[]) => members.map((member) => member.personId).sort();
    expect(await found(ada!)).toEqual(ids(ada!, ben!, cal!));
    expect(await candidates(ada!)).toEqual(ids(ben!, cal!));

    await block(url, ben!, ada!);
    expect(await found(ada!)).toEqual(ids(ada!, cal!));
    expect(await found(ben!)).toEqual(ids(ben!, cal!));
    expect(await found(cal!)).toEqual(ids(ada!, ben!, cal!));
    expect(await candidates(ada!)).toEqual(ids(cal!));
    expect(await candidates(ben!)).toEqual(ids(cal!));
    expect(await candidates(cal!)).toEqual(ids(ada!, ben!));

    await unblock(url, ben!, ada!);
    expect(await found(ada!)).toEqual(ids(ada!, ben!, cal!));
    expect(await candidates(ada!)).toEqual(ids(ben!, cal!));
  });

  it('lists the people you blocked, and never tells anyone who blocked them', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada Lists', 'Ben Lists']);
    await block(url, ada!, ben!);
    await block(url, ada!, ben!); // idempotent
    const listOf = async (who: ChatMember) =>
      (
        await query<{ viewer: { blockedPeople: { edges: Array<{ node: { person: { id: string } } }> } } }>(
          url,
          who,
          '{ viewer { blockedPeople { edges { node { blockedAt person { id name } } } } } }',
        )
      ).viewer.blockedPeople.edges.map((edge) => edge.node.person.id);
    expect(await listOf(ada!)).toEqual([ben!.personId]);
    expect(await listOf(ben!)).toEqual([]);
    const seen = async (who: ChatMember, other: ChatMember) =>
      (
        await query<{ person: { viewerHasBlocked: boolean } }>(
          url,
          who,
          'query P($id: ID!) { person(id: $id) { viewerHasBlocked } }',
          { id: other.personId },
        )
      ).person.viewerHasBlocked;
    expect(await seen(ada!, ben!)).toBe(true);
    expect(await seen(ben!, ada!)).toBe(false);

    expect((await block(url, ada!, ada!)).__typename).toBe('ValidationError');
    expect((await block(url, ada!, { ...ben!, personId: NOBODY })).__typename).toBe('NotFoundError');
    await unblock(url, ada!, ben!);
    expect(await listOf(ada!)).toEqual([]);
  });
});
