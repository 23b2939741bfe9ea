-- Directory search (people). Stored generated columns: PostgreSQL keeps them current on every
-- write of name / headline. schema.prisma declares them with the same expression as
-- @default(dbgenerated(...)), so `prisma migrate dev` sees no drift.
ALTER TABLE "User" ADD COLUMN "headlineSearch" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(headline, ''::text))) STORED,
ADD COLUMN "nameSearch" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name)) STORED;

-- CreateIndex
CREATE INDEX "User_nameSearch_idx" ON "User" USING GIN ("nameSearch");

-- CreateIndex
CREATE INDEX "User_headlineSearch_idx" ON "User" USING GIN ("headlineSearch");
