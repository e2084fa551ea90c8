package io.github.segmentdrip.drip;

/**
 * The step just before every HTTP call to Drip, redeliveries included: it takes one request from
 * the budget or refuses, so a retry can never push the account over its limit.
 */
public class DripBudgetGate {

    private final DripBudget budget;

    public DripBudgetGate(DripBudget budget) {
        this.budget = budget;
    }

    public void acquire(DripRequest request) {
        if (!budget.tryAcquire(request.batch())) {
            throw new DripFailure.RateLimited("Drip " + (request.batch() ? "batch" : "single")
                    + " request budget spent for this window", 0, null);
        }
    }

    /** Drip's own count of what is left, when it sends one. */
    public void observe(DripRequest request, Object remainingHeader) {
        if (remainingHeader != null) {
            try {
                budget.observeRemaining(request.batch(), Integer.parseInt(remainingHeader.toString().trim()));
            } catch (NumberFormatException ignored) {
                // A malformed header tells us nothing; our own count stands.
            }
        }
    }
}
