package org.medledger.audit;

import java.time.LocalDate;

/** How many ledger entries {@code submitter} wrote with {@code operation} on {@code day} (UTC). */
public record DailyActivity(LocalDate day, String submitter, String operation, long count) {
}
