-- AlterTable
ALTER TABLE "Alert" ADD COLUMN     "batchAt" TIMESTAMP(3);
