-- AlterTable
ALTER TABLE "Spend" ADD COLUMN     "commitmentId" TEXT,
ADD COLUMN     "enteredBy" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "spendEntry" TEXT NOT NULL DEFAULT 'owners';

-- CreateTable
CREATE TABLE "Commitment" (
    "teamId" TEXT NOT NULL,
    "commitmentId" TEXT NOT NULL,
    "openingKey" TEXT,
    "date" TEXT,
    "category" TEXT,
    "committedMinor" BIGINT NOT NULL DEFAULT 0,
    "invoicedMinor" BIGINT NOT NULL DEFAULT 0,
    "openMinor" BIGINT NOT NULL DEFAULT 0,
    "closedAt" TIMESTAMP(3),
    "closedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Commitment_pkey" PRIMARY KEY ("teamId","commitmentId")
);

-- CreateIndex
CREATE INDEX "Commitment_teamId_date_idx" ON "Commitment"("teamId", "date");
