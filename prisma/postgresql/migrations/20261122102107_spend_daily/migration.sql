-- DropIndex
DROP INDEX "Spend_teamId_date_category_status_amountMinor_idx";

-- CreateTable
CREATE TABLE "SpendDaily" (
    "teamId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,

    CONSTRAINT "SpendDaily_pkey" PRIMARY KEY ("teamId","date","category","status")
);


-- Backfill the rollup from spend already stored.
INSERT INTO "SpendDaily" ("teamId", "date", "category", "status", "amountMinor")
SELECT "teamId", "date", "category", "status", SUM("amountMinor") FROM "Spend"
GROUP BY "teamId", "date", "category", "status";
