-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "job" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "teamId" TEXT,
    "slot" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "leaseUntil" DATETIME NOT NULL,
    "retryAt" DATETIME,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "durationMs" INTEGER,
    "detail" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "SlackPost" (
    "teamId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("teamId", "key")
);

-- CreateTable
CREATE TABLE "AlertState" (
    "teamId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "changedAt" DATETIME NOT NULL,

    PRIMARY KEY ("teamId", "lineId", "rule", "threshold")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "raisedAt" DATETIME NOT NULL,
    "deliverAt" DATETIME NOT NULL,
    "batchId" TEXT,
    "batchAt" DATETIME,
    "deliveredAt" DATETIME,
    "channelId" TEXT,
    "messageTs" TEXT,
    "resolvedAt" DATETIME,
    "ackBy" TEXT,
    "ackAt" DATETIME,
    "snoozedBy" TEXT
);

-- CreateTable
CREATE TABLE "AlertSnooze" (
    "teamId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "until" DATETIME NOT NULL,
    "by" TEXT NOT NULL,

    PRIMARY KEY ("teamId", "lineId")
);

-- CreateTable
CREATE TABLE "Survey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageTs" TEXT,
    "anonymous" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "opensAt" DATETIME NOT NULL,
    "closesAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SurveyResponse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surveyId" TEXT NOT NULL,
    "respondentKey" TEXT NOT NULL,
    "userId" TEXT,
    "answers" TEXT NOT NULL,
    "submittedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SurveyResponse_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Workspace" (
    "teamId" TEXT NOT NULL PRIMARY KEY,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "fiscalStartMonth" INTEGER NOT NULL DEFAULT 1,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "digestEnabled" BOOLEAN NOT NULL DEFAULT true,
    "digestDay" INTEGER NOT NULL DEFAULT 1,
    "digestTime" TEXT NOT NULL DEFAULT '09:00',
    "digestTimezone" TEXT,
    "digestChannelId" TEXT,
    "digestChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "alertsChannelId" TEXT,
    "alertRules" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("createdAt", "currency", "fiscalStartMonth", "teamId", "timezone", "updatedAt") SELECT "createdAt", "currency", "fiscalStartMonth", "teamId", "timezone", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
