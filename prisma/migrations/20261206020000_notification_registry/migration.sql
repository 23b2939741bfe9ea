-- One notification registry: a notification is (recipient, kind, subject, actor, data, created, read).
-- kind becomes plain text (checked by the registry in code, so a new kind needs no migration); the
-- per-kind columns move into "data" (as JSON) and into "subjectId" (a relay global ID: base64 of
-- "Typename:id", the same as the server's encodeGlobalId). No row is lost.

-- Notification ------------------------------------------------------------------------------------
ALTER TABLE "Notification" ALTER COLUMN "kind" TYPE TEXT USING "kind"::text;
ALTER TABLE "Notification" ADD COLUMN "subjectId" TEXT;
ALTER TABLE "Notification" ADD COLUMN "data" JSONB NOT NULL DEFAULT '{}';
-- Before this migration a switched-off kind was not stored at all: every existing row was in-app.
ALTER TABLE "Notification" ADD COLUMN "inApp" BOOLEAN NOT NULL DEFAULT true;

-- data: every id the row pointed at (jsonb_strip_nulls drops the ones it did not); MENTIONED also
-- keeps its message's conversation, which is what its visibility is checked against.
UPDATE "Notification" n
   SET "data" = jsonb_strip_nulls(jsonb_build_object(
         'groupId', n."groupId",
         'eventId', n."eventId",
         'joinRequestId', n."joinRequestId",
         'inviteId', n."inviteId",
         'messageId', n."messageId",
         'conversationId', (SELECT m."conversationId" FROM "Message" m WHERE m."id" = n."messageId")));

-- subjectId: the most specific thing the row is about (encode wraps base64 at 76 characters; these
-- are shorter, the replace only makes sure).
UPDATE "Notification" n
   SET "subjectId" = replace(encode(convert_to(CASE
         WHEN n."kind" = 'MENTIONED' AND n."messageId" IS NOT NULL THEN 'Message:' || n."messageId"::text
         WHEN n."kind" IN ('EVENT_CREATED', 'WAITLIST_PROMOTED') AND n."eventId" IS NOT NULL THEN 'Event:' || n."eventId"::text
         WHEN n."kind" LIKE 'JOIN\_REQUEST\_%' AND n."joinRequestId" IS NOT NULL THEN 'JoinRequest:' || n."joinRequestId"::text
         WHEN n."kind" = 'GROUP_INVITE' AND n."inviteId" IS NOT NULL THEN 'GroupInvite:' || n."inviteId"::text
         WHEN n."groupId" IS NOT NULL THEN 'Group:' || n."groupId"::text
         ELSE 'Notification:' || n."id"::text
       END, 'UTF8'), 'base64'), E'\n', '');

ALTER TABLE "Notification" ALTER COLUMN "subjectId" SET NOT NULL;
ALTER TABLE "Notification" DROP COLUMN "groupId",
                           DROP COLUMN "eventId",
                           DROP COLUMN "joinRequestId",
                           DROP COLUMN "inviteId",
                           DROP COLUMN "messageId";

-- NotificationPreference: one row per (kind, channel). An old row's enabled=false meant "not in-app".
ALTER TABLE "NotificationPreference" ALTER COLUMN "kind" TYPE TEXT USING "kind"::text;
ALTER TABLE "NotificationPreference" ADD COLUMN "channel" TEXT NOT NULL DEFAULT 'inApp';
ALTER TABLE "NotificationPreference" ALTER COLUMN "channel" DROP DEFAULT;
ALTER TABLE "NotificationPreference" DROP CONSTRAINT "NotificationPreference_pkey";
ALTER TABLE "NotificationPreference" ADD CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("userId", "kind", "channel");

DROP TYPE "NotificationKind";
