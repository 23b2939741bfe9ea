-- mentorSuggestions fairness: each mentee's current top suggestion (suggestions.fairness.ts).

-- CreateTable
CREATE TABLE "MentorTopSuggestion" (
    "menteeId" UUID NOT NULL,
    "mentorId" UUID NOT NULL,
    "shownAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MentorTopSuggestion_pkey" PRIMARY KEY ("menteeId")
);

-- CreateIndex
CREATE INDEX "MentorTopSuggestion_mentorId_shownAt_idx" ON "MentorTopSuggestion"("mentorId", "shownAt");

-- AddForeignKey
ALTER TABLE "MentorTopSuggestion" ADD CONSTRAINT "MentorTopSuggestion_menteeId_fkey" FOREIGN KEY ("menteeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MentorTopSuggestion" ADD CONSTRAINT "MentorTopSuggestion_mentorId_fkey" FOREIGN KEY ("mentorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

