-- email: the outbox becomes a queue delivered by jobs (status, attempts, last error, Message-ID),
-- emails are rendered from a template at delivery time, unsubscribe links are signed with a shared
-- secret, digests remember what they listed, and each member chooses how often a digest comes.

-- CreateEnum
CREATE TYPE "EmailCategory" AS ENUM ('ACCOUNT', 'NOTIFICATION', 'DIGEST');

-- CreateEnum
CREATE TYPE "EmailStatus" AS ENUM ('PENDING', 'SENT', 'HELD', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "EmailDigestFrequency" AS ENUM ('OFF', 'DAILY', 'WEEKLY');

-- AlterTable: the member's digest choice
ALTER TABLE "User" ADD COLUMN "emailDigest" "EmailDigestFrequency" NOT NULL DEFAULT 'OFF';

-- AlterTable: existing rows keep their subject and text as the data of the "plain" template;
-- what was never sent stays in the outbox as HELD (no mailer was configured before).
ALTER TABLE "EmailOutbox"
    ADD COLUMN "category" "EmailCategory" NOT NULL DEFAULT 'ACCOUNT',
    ADD COLUMN "template" TEXT NOT NULL DEFAULT 'plain',
    ADD COLUMN "data" JSONB,
    ADD COLUMN "status" "EmailStatus" NOT NULL DEFAULT 'PENDING',
    ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "lastError" TEXT,
    ADD COLUMN "messageId" TEXT;

UPDATE "EmailOutbox"
SET "data" = jsonb_build_object('subject', "subject", 'text', "body"),
    "status" = CASE WHEN "sentAt" IS NULL THEN 'HELD'::"EmailStatus" ELSE 'SENT'::"EmailStatus" END;

ALTER TABLE "EmailOutbox"
    ALTER COLUMN "data" SET NOT NULL,
    ALTER COLUMN "category" DROP DEFAULT,
    ALTER COLUMN "template" DROP DEFAULT,
    ALTER COLUMN "subject" DROP NOT NULL,
    DROP COLUMN "body";

-- DropIndex
DROP INDEX "EmailOutbox_sentAt_createdAt_idx";

-- CreateIndex
CREATE INDEX "EmailOutbox_status_createdAt_idx" ON "EmailOutbox"("status", "createdAt");

-- CreateIndex
CREATE INDEX "EmailOutbox_toUserId_createdAt_idx" ON "EmailOutbox"("toUserId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "EmailOutbox_messageId_key" ON "EmailOutbox"("messageId");

-- CreateTable
CREATE TABLE "EmailSecret" (
    "name" TEXT NOT NULL,
    "secret" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailSecret_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "EmailDigestItem" (
    "notificationId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "outboxId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailDigestItem_pkey" PRIMARY KEY ("notificationId")
);

-- CreateIndex
CREATE INDEX "EmailDigestItem_userId_idx" ON "EmailDigestItem"("userId");
