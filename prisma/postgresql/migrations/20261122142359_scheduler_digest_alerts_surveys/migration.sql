-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "alertRules" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "alertsChannelId" TEXT,
ADD COLUMN     "digestChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
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
    "ts" TEXT,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlackPost_pkey" PRIMARY KEY ("teamId","key")
);

-- CreateTable
CREATE TABLE "AlertState" (
    "teamId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertState_pkey" PRIMARY KEY ("teamId","lineId","rule","threshold")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "ownerUserId" TEXT,
    "rule" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "plannedMinor" BIGINT NOT NULL,
    "actualMinor" BIGINT NOT NULL,
    "committedMinor" BIGINT NOT NULL,
    "forecastMinor" BIGINT NOT NULL,
    "raisedAt" TIMESTAMP(3) NOT NULL,
    "deliverAt" TIMESTAMP(3) NOT NULL,
    "batchId" TEXT,
    "batchAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "channelId" TEXT,
    "messageTs" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "ackBy" TEXT,
    "ackAt" TIMESTAMP(3),
    "snoozedBy" TEXT,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertSnooze" (
    "teamId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "by" TEXT NOT NULL,

    CONSTRAINT "AlertSnooze_pkey" PRIMARY KEY ("teamId","lineId")
);

-- CreateTable
CREATE TABLE "Survey" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageTs" TEXT,
    "anonymous" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "opensAt" TIMESTAMP(3) NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyResponse" (
    "id" TEXT NOT NULL,
    "surveyId" TEXT NOT NULL,
    "respondentKey" TEXT NOT NULL,
    "userId" TEXT,
    "answers" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SurveyResponse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JobRun_startedAt_idx" ON "JobRun"("startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_key_slot_key" ON "JobRun"("key", "slot");

-- CreateIndex
CREATE INDEX "Alert_teamId_raisedAt_idx" ON "Alert"("teamId", "raisedAt");

-- CreateIndex
CREATE INDEX "Alert_teamId_deliveredAt_deliverAt_idx" ON "Alert"("teamId", "deliveredAt", "deliverAt");

-- CreateIndex
CREATE INDEX "Survey_teamId_createdAt_idx" ON "Survey"("teamId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_surveyId_respondentKey_key" ON "SurveyResponse"("surveyId", "respondentKey");

-- AddForeignKey
ALTER TABLE "SurveyResponse" ADD CONSTRAINT "SurveyResponse_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
