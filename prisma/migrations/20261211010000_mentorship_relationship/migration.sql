-- CreateEnum
CREATE TYPE "MentorshipRequestStatus" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "MentorshipRequestOrigin" AS ENUM ('MENTEE', 'PROGRAM_ADMIN');

-- CreateEnum
CREATE TYPE "MentorshipStatus" AS ENUM ('ACTIVE', 'ENDED');

-- CreateEnum
CREATE TYPE "AgreementStatus" AS ENUM ('PROPOSED', 'ACCEPTED', 'SUPERSEDED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "GoalMeasure" AS ENUM ('TARGET', 'CHECKLIST');

-- CreateEnum
CREATE TYPE "GoalStatus" AS ENUM ('ACTIVE', 'COMPLETED', 'DROPPED');

-- CreateEnum
CREATE TYPE "MentorshipOutcome" AS ENUM ('GOALS_MET', 'PARTLY_MET', 'NOT_MET', 'ENDED_EARLY');

-- AlterTable
ALTER TABLE "MenteeNeeds" ADD COLUMN     "languages" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "card" JSONB;

-- CreateTable
CREATE TABLE "MentorshipRequest" (
    "id" UUID NOT NULL,
    "menteeId" UUID NOT NULL,
    "mentorId" UUID NOT NULL,
    "origin" "MentorshipRequestOrigin" NOT NULL DEFAULT 'MENTEE',
    "groupId" UUID,
    "proposedById" UUID,
    "message" TEXT NOT NULL,
    "goals" TEXT NOT NULL,
    "status" "MentorshipRequestStatus" NOT NULL DEFAULT 'PENDING',
    "menteeAgreedAt" TIMESTAMP(3),
    "mentorAgreedAt" TIMESTAMP(3),
    "responseNote" TEXT NOT NULL DEFAULT '',
    "respondedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MentorshipRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Mentorship" (
    "id" UUID NOT NULL,
    "requestId" UUID,
    "mentorId" UUID NOT NULL,
    "menteeId" UUID NOT NULL,
    "groupId" UUID,
    "conversationId" UUID NOT NULL,
    "status" "MentorshipStatus" NOT NULL DEFAULT 'ACTIVE',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "endedById" UUID,

    CONSTRAINT "Mentorship_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MentorshipAgreement" (
    "id" UUID NOT NULL,
    "mentorshipId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "AgreementStatus" NOT NULL DEFAULT 'PROPOSED',
    "cadence" "MentoringCadence" NOT NULL,
    "format" "MentoringFormat" NOT NULL,
    "sessionMinutes" INTEGER NOT NULL,
    "startsOn" DATE NOT NULL,
    "plannedEndOn" DATE NOT NULL,
    "mentorExpectations" TEXT NOT NULL,
    "menteeExpectations" TEXT NOT NULL,
    "confidentiality" TEXT NOT NULL,
    "proposedById" UUID,
    "proposedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acceptedById" UUID,
    "acceptedAt" TIMESTAMP(3),

    CONSTRAINT "MentorshipAgreement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Goal" (
    "id" UUID NOT NULL,
    "mentorshipId" UUID NOT NULL,
    "createdById" UUID,
    "title" TEXT NOT NULL,
    "specificOutcome" TEXT NOT NULL,
    "measure" "GoalMeasure" NOT NULL,
    "startValue" DOUBLE PRECISION,
    "targetValue" DOUBLE PRECISION,
    "currentValue" DOUBLE PRECISION,
    "unit" TEXT NOT NULL DEFAULT '',
    "whyItMatters" TEXT NOT NULL,
    "dueOn" DATE NOT NULL,
    "status" "GoalStatus" NOT NULL DEFAULT 'ACTIVE',
    "completedAt" TIMESTAMP(3),
    "lastProgressAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Goal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GoalChecklistItem" (
    "id" UUID NOT NULL,
    "goalId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "GoalChecklistItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GoalUpdate" (
    "id" UUID NOT NULL,
    "goalId" UUID NOT NULL,
    "authorId" UUID,
    "note" TEXT NOT NULL DEFAULT '',
    "value" DOUBLE PRECISION NOT NULL,
    "completes" BOOLEAN NOT NULL DEFAULT false,
    "messageId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GoalUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckIn" (
    "id" UUID NOT NULL,
    "mentorshipId" UUID NOT NULL,
    "heldAt" TIMESTAMP(3) NOT NULL,
    "sharedNotes" TEXT NOT NULL DEFAULT '',
    "nextSteps" TEXT NOT NULL DEFAULT '',
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckInPrivateNote" (
    "checkInId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CheckInPrivateNote_pkey" PRIMARY KEY ("checkInId","authorId")
);

-- CreateTable
CREATE TABLE "CheckInFeedback" (
    "checkInId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "rating" INTEGER NOT NULL,
    "words" TEXT NOT NULL DEFAULT '',
    "pairingWorking" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CheckInFeedback_pkey" PRIMARY KEY ("checkInId","authorId")
);

-- CreateTable
CREATE TABLE "MentorshipReview" (
    "mentorshipId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "wentWell" TEXT NOT NULL,
    "outcome" "MentorshipOutcome" NOT NULL,
    "wouldRecommend" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MentorshipReview_pkey" PRIMARY KEY ("mentorshipId","authorId")
);

-- CreateTable
CREATE TABLE "Achievement" (
    "id" UUID NOT NULL,
    "goalId" UUID NOT NULL,
    "menteeId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "groupId" UUID,
    "messageId" UUID,
    "visibility" "FieldVisibility" NOT NULL DEFAULT 'MEMBERS',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Achievement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MentorshipRequest_mentorId_status_idx" ON "MentorshipRequest"("mentorId", "status");

-- CreateIndex
CREATE INDEX "MentorshipRequest_menteeId_status_idx" ON "MentorshipRequest"("menteeId", "status");

-- CreateIndex
CREATE INDEX "MentorshipRequest_groupId_createdAt_idx" ON "MentorshipRequest"("groupId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Mentorship_requestId_key" ON "Mentorship"("requestId");

-- CreateIndex
CREATE UNIQUE INDEX "Mentorship_conversationId_key" ON "Mentorship"("conversationId");

-- CreateIndex
CREATE INDEX "Mentorship_mentorId_status_idx" ON "Mentorship"("mentorId", "status");

-- CreateIndex
CREATE INDEX "Mentorship_menteeId_status_idx" ON "Mentorship"("menteeId", "status");

-- CreateIndex
CREATE INDEX "Mentorship_groupId_startedAt_idx" ON "Mentorship"("groupId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "MentorshipAgreement_mentorshipId_version_key" ON "MentorshipAgreement"("mentorshipId", "version");

-- CreateIndex
CREATE INDEX "Goal_mentorshipId_status_idx" ON "Goal"("mentorshipId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "GoalChecklistItem_goalId_position_key" ON "GoalChecklistItem"("goalId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "GoalUpdate_messageId_key" ON "GoalUpdate"("messageId");

-- CreateIndex
CREATE INDEX "GoalUpdate_goalId_createdAt_idx" ON "GoalUpdate"("goalId", "createdAt");

-- CreateIndex
CREATE INDEX "CheckIn_mentorshipId_heldAt_idx" ON "CheckIn"("mentorshipId", "heldAt");

-- CreateIndex
CREATE UNIQUE INDEX "Achievement_goalId_key" ON "Achievement"("goalId");

-- CreateIndex
CREATE INDEX "Achievement_menteeId_createdAt_idx" ON "Achievement"("menteeId", "createdAt");

-- AddForeignKey
ALTER TABLE "MentorshipRequest" ADD CONSTRAINT "MentorshipRequest_menteeId_fkey" FOREIGN KEY ("menteeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorshipRequest" ADD CONSTRAINT "MentorshipRequest_mentorId_fkey" FOREIGN KEY ("mentorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorshipRequest" ADD CONSTRAINT "MentorshipRequest_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorshipRequest" ADD CONSTRAINT "MentorshipRequest_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mentorship" ADD CONSTRAINT "Mentorship_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "MentorshipRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mentorship" ADD CONSTRAINT "Mentorship_mentorId_fkey" FOREIGN KEY ("mentorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mentorship" ADD CONSTRAINT "Mentorship_menteeId_fkey" FOREIGN KEY ("menteeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mentorship" ADD CONSTRAINT "Mentorship_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mentorship" ADD CONSTRAINT "Mentorship_endedById_fkey" FOREIGN KEY ("endedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorshipAgreement" ADD CONSTRAINT "MentorshipAgreement_mentorshipId_fkey" FOREIGN KEY ("mentorshipId") REFERENCES "Mentorship"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorshipAgreement" ADD CONSTRAINT "MentorshipAgreement_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorshipAgreement" ADD CONSTRAINT "MentorshipAgreement_acceptedById_fkey" FOREIGN KEY ("acceptedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Goal" ADD CONSTRAINT "Goal_mentorshipId_fkey" FOREIGN KEY ("mentorshipId") REFERENCES "Mentorship"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Goal" ADD CONSTRAINT "Goal_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalChecklistItem" ADD CONSTRAINT "GoalChecklistItem_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalUpdate" ADD CONSTRAINT "GoalUpdate_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoalUpdate" ADD CONSTRAINT "GoalUpdate_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_mentorshipId_fkey" FOREIGN KEY ("mentorshipId") REFERENCES "Mentorship"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInPrivateNote" ADD CONSTRAINT "CheckInPrivateNote_checkInId_fkey" FOREIGN KEY ("checkInId") REFERENCES "CheckIn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInPrivateNote" ADD CONSTRAINT "CheckInPrivateNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInFeedback" ADD CONSTRAINT "CheckInFeedback_checkInId_fkey" FOREIGN KEY ("checkInId") REFERENCES "CheckIn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInFeedback" ADD CONSTRAINT "CheckInFeedback_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorshipReview" ADD CONSTRAINT "MentorshipReview_mentorshipId_fkey" FOREIGN KEY ("mentorshipId") REFERENCES "Mentorship"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorshipReview" ADD CONSTRAINT "MentorshipReview_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Achievement" ADD CONSTRAINT "Achievement_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Achievement" ADD CONSTRAINT "Achievement_menteeId_fkey" FOREIGN KEY ("menteeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Achievement" ADD CONSTRAINT "Achievement_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- One PENDING request per pair, and one ACTIVE mentorship per pair (Prisma cannot declare partial indexes).
CREATE UNIQUE INDEX "MentorshipRequest_one_pending_per_pair" ON "MentorshipRequest"("menteeId", "mentorId") WHERE "status" = 'PENDING';
CREATE UNIQUE INDEX "Mentorship_one_active_per_pair" ON "Mentorship"("mentorId", "menteeId") WHERE "status" = 'ACTIVE';

-- Limits the services check first, kept by the database too.
ALTER TABLE "CheckInFeedback" ADD CONSTRAINT "CheckInFeedback_rating_range" CHECK ("rating" BETWEEN 1 AND 5);
ALTER TABLE "MentorshipAgreement" ADD CONSTRAINT "MentorshipAgreement_session_length" CHECK ("sessionMinutes" BETWEEN 15 AND 480);
ALTER TABLE "MentorshipAgreement" ADD CONSTRAINT "MentorshipAgreement_dates" CHECK ("plannedEndOn" > "startsOn");
ALTER TABLE "MentorshipRequest" ADD CONSTRAINT "MentorshipRequest_not_self" CHECK ("menteeId" <> "mentorId");
ALTER TABLE "Mentorship" ADD CONSTRAINT "Mentorship_not_self" CHECK ("menteeId" <> "mentorId");
