-- Safety, the admins' part: suspend a member from the instance, hide a profile or a group, and lift
-- each again (modules/safety; who sees what: people.policy.ts STANDING_SIGHT, groups.policy.ts
-- HIDDEN_GROUP_SIGHT). Made with prisma migrate diff from the migrations to prisma/schema.prisma,
-- with SUSPEND placed as in the schema. PostgreSQL 12+ adds several enum values in one migration.

-- AlterEnum
ALTER TYPE "ModerationAction" ADD VALUE 'SUSPEND' BEFORE 'DISMISS';
ALTER TYPE "ModerationAction" ADD VALUE 'UNHIDE';
ALTER TYPE "ModerationAction" ADD VALUE 'UNSUSPEND';

-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "hiddenAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "profileHiddenAt" TIMESTAMP(3),
ADD COLUMN     "suspendedAt" TIMESTAMP(3);
