-- CreateEnum
CREATE TYPE "IntroductionStatus" AS ENUM ('REQUESTED', 'FORWARDED', 'ACCEPTED', 'BROKER_DECLINED', 'TARGET_DECLINED', 'BROKER_EXPIRED', 'TARGET_EXPIRED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "IntroductionsThrough" AS ENUM ('SHARED_GROUPS', 'MENTORSHIPS');

-- CreateEnum
CREATE TYPE "IntroductionFollowUpAnswer" AS ENUM ('YES', 'NOT_YET', 'NO');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "introductionsThrough" "IntroductionsThrough" NOT NULL DEFAULT 'SHARED_GROUPS';

-- CreateTable
CREATE TABLE "Introduction" (
    "id" UUID NOT NULL,
    "requesterId" UUID NOT NULL,
    "brokerId" UUID NOT NULL,
    "targetId" UUID NOT NULL,
    "status" "IntroductionStatus" NOT NULL DEFAULT 'REQUESTED',
    "reason" TEXT NOT NULL,
    "hopes" TEXT NOT NULL DEFAULT '',
    "presentation" TEXT,
    "brokerNote" TEXT,
    "brokerMessage" TEXT,
    "targetNote" TEXT,
    "expiresAt" TIMESTAMP(3),
    "forwardedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "conversationId" UUID,
    "requesterFollowUp" "IntroductionFollowUpAnswer",
    "requesterFollowUpAt" TIMESTAMP(3),
    "targetFollowUp" "IntroductionFollowUpAnswer",
    "targetFollowUpAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Introduction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Introduction_conversationId_key" ON "Introduction"("conversationId");

-- CreateIndex
CREATE INDEX "Introduction_requesterId_status_idx" ON "Introduction"("requesterId", "status");

-- CreateIndex
CREATE INDEX "Introduction_brokerId_createdAt_idx" ON "Introduction"("brokerId", "createdAt");

-- CreateIndex
CREATE INDEX "Introduction_targetId_status_idx" ON "Introduction"("targetId", "status");

-- CreateIndex
CREATE INDEX "Introduction_requesterId_targetId_closedAt_idx" ON "Introduction"("requesterId", "targetId", "closedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Introduction_requesterId_targetId_key" ON "Introduction"("requesterId", "targetId") WHERE (status IN ('REQUESTED', 'FORWARDED'));

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_brokerId_fkey" FOREIGN KEY ("brokerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Three different people: nobody introduces themselves or is introduced to themselves.
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_three_people" CHECK ("requesterId" <> "brokerId" AND "requesterId" <> "targetId" AND "brokerId" <> "targetId");
