-- accounts: the browser's time zone given at sign-up, applied to the account when the link finishes it
-- (sign-up.ts). Generated with prisma migrate diff, less its two DROP INDEX lines: those partial unique
-- indexes (one active mentorship / one pending request per pair) are hand-written in earlier
-- migrations and unknown to the schema, so the diff always proposes dropping them.

-- AlterTable
ALTER TABLE "PendingSignUp" ADD COLUMN     "timeZone" TEXT;
