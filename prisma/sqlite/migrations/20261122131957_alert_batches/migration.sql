-- AlterTable
ALTER TABLE "Alert" ADD COLUMN "batchAt" DATETIME;
