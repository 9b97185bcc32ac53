package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.medledger.audit.DailyActivity;
import org.medledger.audit.LedgerAudit;
import org.medledger.audit.LedgerVerificationRun;
import org.medledger.audit.TreeHeadCheck;
import org.medledger.audit.VerificationStatus;

/** The auditor's page: tree head history, the full verification, ledger activity. */
@Named
@RequestScoped
public class AuditorView {

    static final int TREE_HEADS_SHOWN = 20;

    @EJB
    LedgerAudit audit;

    @EJB
    LedgerVerificationRun verification;

    private List<TreeHeadCheck> treeHeads;
    private List<DailyActivity> activity;

    public List<TreeHeadCheck> getTreeHeads() {
        if (treeHeads == null) {
            // newest first on the page; each row was checked against the one below it
            treeHeads = new ArrayList<>(audit.treeHeads(TREE_HEADS_SHOWN));
            java.util.Collections.reverse(treeHeads);
        }
        return treeHeads;
    }

    public boolean isAllTreeHeadsOk() {
        return getTreeHeads().stream().allMatch(TreeHeadCheck::ok);
    }

    public VerificationStatus getVerification() {
        return verification.status();
    }

    public void startVerification() {
        if (verification.start(Outcomes.user())) {
            Outcomes.done("Full verification started.");
        } else {
            Outcomes.done("A verification is already running; its progress is shown below.");
        }
    }

    /** One bar of the activity chart: a day, a submitter and operation, a count, its width in percent. */
    public record Bar(String day, String label, long count, int percent) {
    }

    private List<DailyActivity> accesses;
    private List<Count> refusals;

    /** A labelled count (a table row). */
    public record Count(String label, long count) {
    }

    /** Accesses per day and hospital: one bar per day, hospital and outcome. */
    public List<Bar> getAccessBars() {
        if (accesses == null) {
            accesses = audit.accesses();
        }
        long max = accesses.stream().mapToLong(DailyActivity::count).max().orElse(1);
        return accesses.stream()
                .map(a -> new Bar(a.day().toString(), a.submitter() + " · " + a.operation(), a.count(),
                        (int) Math.max(2, a.count() * 100 / max)))
                .toList();
    }

    public List<Count> getRefusals() {
        if (refusals == null) {
            refusals = audit.refusalsByReason().stream().map(e -> new Count(e.getKey(), e.getValue())).toList();
        }
        return refusals;
    }

    public List<DailyActivity> getActivity() {
        if (activity == null) {
            activity = audit.activity();
        }
        return activity;
    }

    public List<Bar> getBars() {
        long max = getActivity().stream().mapToLong(DailyActivity::count).max().orElse(1);
        return getActivity().stream()
                .map(a -> new Bar(a.day().toString(), a.submitter() + " · " + a.operation(), a.count(),
                        (int) Math.max(2, a.count() * 100 / max)))
                .toList();
    }

    /** Totals per operation (the chart's legend and its text alternative). */
    public Map<String, Long> getTotals() {
        Map<String, Long> t = new LinkedHashMap<>();
        getActivity().forEach(a -> t.merge(a.operation(), a.count(), Long::sum));
        return t;
    }

    public List<Count> getTotalList() {
        return getTotals().entrySet().stream().map(e -> new Count(e.getKey(), e.getValue())).toList();
    }
}
