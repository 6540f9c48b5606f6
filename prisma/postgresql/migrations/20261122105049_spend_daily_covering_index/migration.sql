-- CreateIndex
CREATE INDEX "SpendDaily_teamId_date_category_status_amountMinor_idx" ON "SpendDaily"("teamId", "date", "category", "status", "amountMinor");
