-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "digestChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "digestChannelId" TEXT,
ADD COLUMN     "digestDay" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "digestEnabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "digestTime" TEXT NOT NULL DEFAULT '09:00',
ADD COLUMN     "digestTimezone" TEXT;

-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "teamId" TEXT,
    "slot" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "retryAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackPost" (
    "teamId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "threadTs" TEXT,
    "ts" TEXT,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlackPost_pkey" PRIMARY KEY ("teamId","key")
);

-- CreateIndex
CREATE INDEX "JobRun_startedAt_idx" ON "JobRun"("startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_key_slot_key" ON "JobRun"("key", "slot");
