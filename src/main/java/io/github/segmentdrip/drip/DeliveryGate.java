package io.github.segmentdrip.drip;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether delivery may run, and why not. Missing credentials and a refused token stop all
 * delivery (each row would fail the same way); readiness reports the reason.
 */
public class DeliveryGate {

    private static final System.Logger LOG = System.getLogger(DeliveryGate.class.getName());

    private final DripAccount account;
    private final AtomicReference<String> refusedBecause = new AtomicReference<>();
    private final AtomicReference<String> forbiddenBecause = new AtomicReference<>();

    public DeliveryGate(DripAccount account) {
        this.account = account;
    }

    /** Null when delivery may run, else the reason it waits. */
    public String blockedReason() {
        if (!account.isConfigured()) {
            return "Drip credentials not set: delivery is paused until DRIP_ACCOUNT_ID and DRIP_API_TOKEN are set";
        }
        return refusedBecause.get();
    }

    /**
     * Why readiness is DOWN, or null: no credentials, a refused token (delivery paused), or a 403
     * on the last call (the token works but lacks access; delivery continues, each 403 dead-letters).
     */
    public String notReadyReason() {
        String blocked = blockedReason();
        return blocked != null ? blocked : forbiddenBecause.get();
    }

    /** Drip answered 403: readiness says so until a call succeeds again. */
    public void forbidden(String path) {
        forbiddenBecause.set("Drip answered 403 to POST " + path + ": the API token lacks access to this account");
    }

    /** A call succeeded: whatever 403 came before no longer describes the account. */
    public void accepted() {
        forbiddenBecause.set(null);
    }

    public boolean isOpen() {
        return blockedReason() == null;
    }

    /** The step before each call: requests already claimed when delivery paused go back untouched. */
    public void requireOpen() {
        String reason = blockedReason();
        if (reason != null) {
            throw new DripFailure.Paused(reason);
        }
    }

    /** Drip answered 401: stop, and say so once, instead of dead-lettering every event. */
    public void unauthorized(int status) {
        String reason = "Drip refused the API token (HTTP " + status + "): delivery is paused; "
                + "set a valid DRIP_API_TOKEN and restart";
        if (refusedBecause.compareAndSet(null, reason)) {
            LOG.log(System.Logger.Level.ERROR, reason);
        }
    }
}
