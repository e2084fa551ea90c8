package io.github.segmentdrip.drip;

import io.github.segmentdrip.outbox.DripWork;

/**
 * Where each kind of Drip work goes (drip-api.md §3): the classic REST API under {@code /v2/} for
 * subscribers, events and campaigns, the Shopper Activity API under {@code /v3/} for orders and
 * carts; and how a batch of each kind is wrapped. One table, so no caller spells a path itself.
 */
public final class DripEndpoints {

    private static final String CAMPAIGNS = "/campaigns/";

    private DripEndpoints() {
    }

    /** The single-record endpoint (campaign subscriptions: see {@link #campaignSubscribers}). */
    public static String single(DripWork.Kind kind, String accountId) {
        return switch (kind) {
            case SUBSCRIBER -> "/v2/" + accountId + "/subscribers";
            case EVENT -> "/v2/" + accountId + "/events";
            case ORDER -> "/v3/" + accountId + "/shopper_activity/order";
            case CART -> "/v3/" + accountId + "/shopper_activity/cart";
            case CAMPAIGN -> throw new IllegalArgumentException("a campaign subscription needs its campaign id");
        };
    }

    /** The body of a single-record request: v2 wraps the record in an array, v3 takes it bare. */
    public static String singleBody(DripWork.Kind kind, String record) {
        return switch (kind) {
            case SUBSCRIBER, CAMPAIGN -> "{\"subscribers\":[" + record + "]}";
            case EVENT -> "{\"events\":[" + record + "]}";
            case ORDER, CART -> record;
        };
    }

    public static String campaignSubscribers(String accountId, String encodedCampaignId) {
        return "/v2/" + accountId + CAMPAIGNS + encodedCampaignId + "/subscribers";
    }

    /** Whether {@code path} is a {@link #campaignSubscribers campaign subscription}. */
    public static boolean isCampaignSubscription(String path) {
        return path.contains(CAMPAIGNS);
    }

    public static String batch(DripWork.Kind kind, String accountId) {
        return switch (kind) {
            case SUBSCRIBER -> "/v2/" + accountId + "/subscribers/batches";
            case EVENT -> "/v2/" + accountId + "/events/batches";
            case ORDER -> "/v3/" + accountId + "/shopper_activity/order/batch";
            case CART -> "/v3/" + accountId + "/shopper_activity/cart/batch";
            case CAMPAIGN -> throw new IllegalArgumentException("campaign subscriptions have no batch endpoint");
        };
    }

    /** v2 batches: {@code {"batches":[{"events":[…]}]}}; v3 batches: {@code {"orders":[…]}} (drip-api.md §7). */
    public static String batchBody(DripWork.Kind kind, String joinedRecords) {
        return switch (kind) {
            case SUBSCRIBER -> "{\"batches\":[{\"subscribers\":[" + joinedRecords + "]}]}";
            case EVENT -> "{\"batches\":[{\"events\":[" + joinedRecords + "]}]}";
            case ORDER -> "{\"orders\":[" + joinedRecords + "]}";
            case CART -> "{\"carts\":[" + joinedRecords + "]}";
            case CAMPAIGN -> throw new IllegalArgumentException("campaign subscriptions have no batch endpoint");
        };
    }

    /**
     * The endpoint without the version and account, for metrics and logs:
     * {@code /v3/1234567/shopper_activity/order/batch} → {@code shopper_activity/order/batch}.
     */
    public static String name(String path) {
        int account = path.indexOf('/', path.indexOf('/', 1) + 1);
        String endpoint = account < 0 ? path : path.substring(account + 1);
        return endpoint.startsWith("campaigns/") ? "campaigns/subscribers" : endpoint;
    }
}
