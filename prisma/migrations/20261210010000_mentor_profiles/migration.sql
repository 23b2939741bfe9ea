-- Mentorship, first part: mentor profiles and mentee needs (modules/mentorship). As prisma migrate diff
-- makes it from prisma/schema.prisma.
-- CreateEnum
CREATE TYPE "MentorHelpKind" AS ENUM ('TECHNICAL_SKILLS', 'CAREER_GUIDANCE', 'LEADERSHIP', 'JOB_SEARCH', 'WORK_LIFE_BALANCE', 'NETWORKING');

-- CreateEnum
CREATE TYPE "MentoringFormat" AS ENUM ('VIDEO', 'CHAT', 'IN_PERSON', 'PHONE');

-- CreateEnum
CREATE TYPE "MentoringCadence" AS ENUM ('WEEKLY', 'BIWEEKLY', 'MONTHLY');

-- CreateEnum
CREATE TYPE "MentorAskScope" AS ENUM ('EVERYONE', 'CHOSEN_GROUPS');

-- CreateTable
CREATE TABLE "MentorProfile" (
    "userId" UUID NOT NULL,
    "helpOffered" "MentorHelpKind"[],
    "capacity" INTEGER NOT NULL,
    "accepting" BOOLEAN NOT NULL DEFAULT true,
    "formats" "MentoringFormat"[],
    "cadences" "MentoringCadence"[],
    "timeZone" TEXT NOT NULL,
    "weeklyHours" JSONB NOT NULL,
    "languages" TEXT[],
    "askScope" "MentorAskScope" NOT NULL DEFAULT 'EVERYONE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "expertiseVisibility" "FieldVisibility" NOT NULL DEFAULT 'MEMBERS',
    "helpOfferedVisibility" "FieldVisibility" NOT NULL DEFAULT 'MEMBERS',
    "capacityVisibility" "FieldVisibility" NOT NULL DEFAULT 'MEMBERS',
    "formatsVisibility" "FieldVisibility" NOT NULL DEFAULT 'MEMBERS',
    "cadencesVisibility" "FieldVisibility" NOT NULL DEFAULT 'MEMBERS',
    "weeklyHoursVisibility" "FieldVisibility" NOT NULL DEFAULT 'MEMBERS',
    "languagesVisibility" "FieldVisibility" NOT NULL DEFAULT 'MEMBERS',
    "askScopeVisibility" "FieldVisibility" NOT NULL DEFAULT 'MEMBERS',

    CONSTRAINT "MentorProfile_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "MentorSkill" (
    "mentorId" UUID NOT NULL,
    "skillId" UUID NOT NULL,
    "level" "SkillLevel" NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "MentorSkill_pkey" PRIMARY KEY ("mentorId","skillId")
);

-- CreateTable
CREATE TABLE "MentorAskGroup" (
    "mentorId" UUID NOT NULL,
    "groupId" UUID NOT NULL,

    CONSTRAINT "MentorAskGroup_pkey" PRIMARY KEY ("mentorId","groupId")
);

-- CreateTable
CREATE TABLE "MenteeNeeds" (
    "userId" UUID NOT NULL,
    "goals" TEXT NOT NULL,
    "helpWanted" "MentorHelpKind"[],
    "formats" "MentoringFormat"[],
    "cadence" "MentoringCadence",
    "timeZone" TEXT NOT NULL,
    "weeklyHours" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MenteeNeeds_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "MenteeSkill" (
    "userId" UUID NOT NULL,
    "skillId" UUID NOT NULL,
    "currentLevel" "SkillLevel",
    "wantedLevel" "SkillLevel" NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "MenteeSkill_pkey" PRIMARY KEY ("userId","skillId")
);

-- CreateIndex
CREATE INDEX "MentorSkill_skillId_idx" ON "MentorSkill"("skillId");

-- CreateIndex
CREATE INDEX "MentorAskGroup_groupId_idx" ON "MentorAskGroup"("groupId");

-- CreateIndex
CREATE INDEX "MenteeSkill_skillId_idx" ON "MenteeSkill"("skillId");

-- AddForeignKey
ALTER TABLE "MentorProfile" ADD CONSTRAINT "MentorProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorSkill" ADD CONSTRAINT "MentorSkill_mentorId_fkey" FOREIGN KEY ("mentorId") REFERENCES "MentorProfile"("userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorSkill" ADD CONSTRAINT "MentorSkill_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorAskGroup" ADD CONSTRAINT "MentorAskGroup_mentorId_fkey" FOREIGN KEY ("mentorId") REFERENCES "MentorProfile"("userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorAskGroup" ADD CONSTRAINT "MentorAskGroup_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MenteeNeeds" ADD CONSTRAINT "MenteeNeeds_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MenteeSkill" ADD CONSTRAINT "MenteeSkill_userId_fkey" FOREIGN KEY ("userId") REFERENCES "MenteeNeeds"("userId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MenteeSkill" ADD CONSTRAINT "MenteeSkill_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

