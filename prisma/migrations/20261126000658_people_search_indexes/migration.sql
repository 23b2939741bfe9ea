-- CreateIndex
CREATE INDEX "User_timeZone_idx" ON "User"("timeZone");

-- Directory search (people): the GIN indexes on names and headlines write every entry straight
-- into the index. With fastupdate (the default) new entries wait in a pending list until a
-- VACUUM; PGlite never vacuums, so the list only grows and every text search reads it linearly
-- (and the planner, seeing it, stops using the index at all). Flush what is pending now.
ALTER INDEX "User_nameSearch_idx" SET (fastupdate = off);
ALTER INDEX "User_headlineSearch_idx" SET (fastupdate = off);
SELECT gin_clean_pending_list('"User_nameSearch_idx"'::regclass);
SELECT gin_clean_pending_list('"User_headlineSearch_idx"'::regclass);
