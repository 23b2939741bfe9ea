-- CreateEnum
CREATE TYPE "OfficeHoursAudience" AS ENUM ('PUBLIC', 'MEMBERS', 'GROUPS', 'PAIR');

-- CreateEnum
CREATE TYPE "OfficeHoursStatus" AS ENUM ('PROPOSED', 'ACTIVE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "OfficeHoursExceptionKind" AS ENUM ('SKIP', 'MOVE');

-- CreateEnum
CREATE TYPE "BookingStatus" AS ENUM ('BOOKED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "BookingAttendance" AS ENUM ('ATTENDED', 'NO_SHOW');

-- CreateEnum
CREATE TYPE "WaitlistStatus" AS ENUM ('WAITING', 'OFFERED', 'CONFIRMED', 'EXPIRED', 'LEFT');

-- AlterTable
ALTER TABLE "CheckIn" ADD COLUMN     "slotId" UUID;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "reminderLeadMinutes" INTEGER[] DEFAULT ARRAY[1440, 60]::INTEGER[];

-- CreateTable
CREATE TABLE "OfficeHours" (
    "id" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "timeZone" TEXT NOT NULL,
    "startDate" DATE NOT NULL,
    "startTime" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "repeatEveryWeeks" INTEGER,
    "weekdays" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "untilDate" DATE,
    "occurrenceCount" INTEGER,
    "seats" INTEGER NOT NULL,
    "onlineUrl" TEXT,
    "location" TEXT,
    "audience" "OfficeHoursAudience" NOT NULL,
    "attendeesSeeNames" BOOLEAN NOT NULL DEFAULT false,
    "minimumNoticeMinutes" INTEGER NOT NULL DEFAULT 120,
    "bookingWindowDays" INTEGER NOT NULL DEFAULT 60,
    "bufferMinutes" INTEGER NOT NULL DEFAULT 0,
    "status" "OfficeHoursStatus" NOT NULL DEFAULT 'ACTIVE',
    "mentorshipId" UUID,
    "proposedById" UUID,
    "confirmedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OfficeHours_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfficeHoursGroup" (
    "officeHoursId" UUID NOT NULL,
    "groupId" UUID NOT NULL,

    CONSTRAINT "OfficeHoursGroup_pkey" PRIMARY KEY ("officeHoursId","groupId")
);

-- CreateTable
CREATE TABLE "OfficeHoursException" (
    "officeHoursId" UUID NOT NULL,
    "occurrenceDate" DATE NOT NULL,
    "kind" "OfficeHoursExceptionKind" NOT NULL,
    "movedToLocal" TEXT,

    CONSTRAINT "OfficeHoursException_pkey" PRIMARY KEY ("officeHoursId","occurrenceDate")
);

-- CreateTable
CREATE TABLE "OfficeHourSlot" (
    "id" UUID NOT NULL,
    "officeHoursId" UUID NOT NULL,
    "occurrenceDate" DATE NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "requestedLocalStart" TEXT,
    "seats" INTEGER NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OfficeHourSlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Booking" (
    "id" UUID NOT NULL,
    "slotId" UUID NOT NULL,
    "attendeeId" UUID NOT NULL,
    "status" "BookingStatus" NOT NULL DEFAULT 'BOOKED',
    "question" TEXT NOT NULL DEFAULT '',
    "attendance" "BookingAttendance",
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "cancelledAt" TIMESTAMP(3),
    "cancelledById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Booking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfficeHoursWaitlistEntry" (
    "id" UUID NOT NULL,
    "slotId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "status" "WaitlistStatus" NOT NULL DEFAULT 'WAITING',
    "question" TEXT NOT NULL DEFAULT '',
    "joinedAt" TIMESTAMP(3) NOT NULL,
    "offeredAt" TIMESTAMP(3),
    "offerExpiresAt" TIMESTAMP(3),
    "bookingId" UUID,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OfficeHoursWaitlistEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarFeed" (
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarFeed_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "OfficeHours_hostId_status_idx" ON "OfficeHours"("hostId", "status");

-- CreateIndex
CREATE INDEX "OfficeHours_mentorshipId_idx" ON "OfficeHours"("mentorshipId");

-- CreateIndex
CREATE INDEX "OfficeHoursGroup_groupId_idx" ON "OfficeHoursGroup"("groupId");

-- CreateIndex
CREATE INDEX "OfficeHourSlot_startsAt_idx" ON "OfficeHourSlot"("startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "OfficeHourSlot_officeHoursId_occurrenceDate_key" ON "OfficeHourSlot"("officeHoursId", "occurrenceDate");

-- CreateIndex
CREATE INDEX "Booking_attendeeId_status_idx" ON "Booking"("attendeeId", "status");

-- CreateIndex
CREATE INDEX "Booking_slotId_status_idx" ON "Booking"("slotId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Booking_slotId_attendeeId_key" ON "Booking"("slotId", "attendeeId") WHERE (status = 'BOOKED');

-- CreateIndex
CREATE INDEX "OfficeHoursWaitlistEntry_slotId_status_joinedAt_idx" ON "OfficeHoursWaitlistEntry"("slotId", "status", "joinedAt");

-- CreateIndex
CREATE INDEX "OfficeHoursWaitlistEntry_memberId_status_idx" ON "OfficeHoursWaitlistEntry"("memberId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "OfficeHoursWaitlistEntry_slotId_memberId_key" ON "OfficeHoursWaitlistEntry"("slotId", "memberId") WHERE (status IN ('WAITING', 'OFFERED'));

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_tokenHash_key" ON "CalendarFeed"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "CheckIn_slotId_key" ON "CheckIn"("slotId");

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "OfficeHourSlot"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeHours" ADD CONSTRAINT "OfficeHours_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeHours" ADD CONSTRAINT "OfficeHours_mentorshipId_fkey" FOREIGN KEY ("mentorshipId") REFERENCES "Mentorship"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeHours" ADD CONSTRAINT "OfficeHours_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeHoursGroup" ADD CONSTRAINT "OfficeHoursGroup_officeHoursId_fkey" FOREIGN KEY ("officeHoursId") REFERENCES "OfficeHours"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeHoursGroup" ADD CONSTRAINT "OfficeHoursGroup_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeHoursException" ADD CONSTRAINT "OfficeHoursException_officeHoursId_fkey" FOREIGN KEY ("officeHoursId") REFERENCES "OfficeHours"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeHourSlot" ADD CONSTRAINT "OfficeHourSlot_officeHoursId_fkey" FOREIGN KEY ("officeHoursId") REFERENCES "OfficeHours"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "OfficeHourSlot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_attendeeId_fkey" FOREIGN KEY ("attendeeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_cancelledById_fkey" FOREIGN KEY ("cancelledById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeHoursWaitlistEntry" ADD CONSTRAINT "OfficeHoursWaitlistEntry_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "OfficeHourSlot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeHoursWaitlistEntry" ADD CONSTRAINT "OfficeHoursWaitlistEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: the rules the application validates, kept by the database too.
ALTER TABLE "OfficeHours"
  ADD CONSTRAINT "OfficeHours_seats_range" CHECK ("seats" BETWEEN 1 AND 500),
  ADD CONSTRAINT "OfficeHours_duration_range" CHECK ("durationMinutes" BETWEEN 5 AND 720),
  ADD CONSTRAINT "OfficeHours_repeat_range" CHECK ("repeatEveryWeeks" IS NULL OR "repeatEveryWeeks" BETWEEN 1 AND 8),
  ADD CONSTRAINT "OfficeHours_pair_has_mentorship" CHECK (("audience" = 'PAIR') = ("mentorshipId" IS NOT NULL));
ALTER TABLE "OfficeHourSlot"
  ADD CONSTRAINT "OfficeHourSlot_ends_after_start" CHECK ("endsAt" > "startsAt"),
  ADD CONSTRAINT "OfficeHourSlot_seats_range" CHECK ("seats" BETWEEN 1 AND 500);
ALTER TABLE "OfficeHoursWaitlistEntry"
  ADD CONSTRAINT "OfficeHoursWaitlistEntry_offer_has_expiry" CHECK ("status" <> 'OFFERED' OR "offerExpiresAt" IS NOT NULL);
