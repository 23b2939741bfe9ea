-- One open report per reporter and what it is about, also when the same report is filed twice at
-- once (reportContent read, then inserted: two requests could both pass the read). One partial
-- unique index per subject, as the column that names it differs; a reference that a deletion set to
-- null never collides (NULLs are distinct). The indexes as prisma migrate diff makes them from
-- prisma/schema.prisma (previewFeatures partialIndexes).

-- Duplicates filed before the indexes: the earliest open one stays in the queue, each later one is
-- closed without an outcome (nobody acted on it; its reporter still has the first).
UPDATE "Report" AS later
SET "status" = 'RESOLVED', "resolvedAt" = CURRENT_TIMESTAMP
WHERE later."status" = 'OPEN'
  AND later."reporterId" IS NOT NULL
  AND EXISTS (
    SELECT 1 FROM "Report" AS earlier
    WHERE earlier."status" = 'OPEN'
      AND earlier."reporterId" = later."reporterId"
      AND earlier."subject" = later."subject"
      AND earlier."id" < later."id"
      AND CASE later."subject"
        WHEN 'MESSAGE' THEN earlier."messageId" = later."messageId"
        WHEN 'PROFILE' THEN earlier."subjectUserId" = later."subjectUserId"
        ELSE earlier."subjectGroupId" = later."subjectGroupId"
      END
  );

-- CreateIndex
CREATE UNIQUE INDEX "Report_open_message_key" ON "Report"("reporterId", "messageId") WHERE (status = 'OPEN' AND subject = 'MESSAGE');

-- CreateIndex
CREATE UNIQUE INDEX "Report_open_profile_key" ON "Report"("reporterId", "subjectUserId") WHERE (status = 'OPEN' AND subject = 'PROFILE');

-- CreateIndex
CREATE UNIQUE INDEX "Report_open_group_key" ON "Report"("reporterId", "subjectGroupId") WHERE (status = 'OPEN' AND subject = 'GROUP');
