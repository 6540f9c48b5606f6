-- AlterTable
ALTER TABLE "BudgetLine" ADD COLUMN     "phasing" TEXT;

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "lockDays" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "moveAutoApproveMinor" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "LatestEstimate" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "period" TEXT NOT NULL,
    "setBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LatestEstimate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetMove" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "fromCategory" TEXT NOT NULL,
    "toCategory" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "periodStart" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "requestedBy" TEXT NOT NULL,
    "fromOwner" TEXT,
    "toOwner" TEXT,
    "fromApprovedBy" TEXT,
    "fromApprovedAt" TIMESTAMP(3),
    "toApprovedBy" TEXT,
    "toApprovedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "rejectReason" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BudgetMove_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpendMonthly" (
    "teamId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,

    CONSTRAINT "SpendMonthly_pkey" PRIMARY KEY ("teamId","month","category","status")
);

-- CreateIndex
CREATE INDEX "LatestEstimate_teamId_month_idx" ON "LatestEstimate"("teamId", "month");

-- CreateIndex
CREATE UNIQUE INDEX "LatestEstimate_teamId_category_month_key" ON "LatestEstimate"("teamId", "category", "month");

-- CreateIndex
CREATE INDEX "BudgetMove_teamId_status_idx" ON "BudgetMove"("teamId", "status");

-- Backfill the monthly rollup from the daily one, so existing workspaces have their months.
INSERT INTO "SpendMonthly" ("teamId", "month", "category", "status", "amountMinor")
SELECT "teamId", substr("date", 1, 7), "category", "status", SUM("amountMinor")
FROM "SpendDaily"
GROUP BY "teamId", substr("date", 1, 7), "category", "status";
