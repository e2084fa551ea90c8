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

    /** Takes the budget for one request; the returned ticket goes to {@link #observe} with Drip's answer. */
    public long acquire(DripRequest request) {
        long ticket = budget.acquire(request.batch());
        if (ticket < 0) {
            throw new DripFailure.RateLimited("Drip " + (request.batch() ? "batch" : "single")
                    + " request budget spent for this window", 0, null);
        }
        return ticket;
    }

    /** Drip answered: the slot counts from now, and Drip's own count of what is left wins when lower. */
    public void observe(DripRequest request, long ticket, Object remainingHeader) {
        budget.settle(ticket);
        if (remainingHeader != null) {
            try {
                budget.observeRemaining(request.batch(), Integer.parseInt(remainingHeader.toString().trim()));
            } catch (NumberFormatException ignored) {
                // A malformed header tells us nothing; our own count stands.
            }
        }
    }
}
