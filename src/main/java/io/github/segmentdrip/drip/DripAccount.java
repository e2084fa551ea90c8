package io.github.segmentdrip.drip;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The Drip account this service delivers to. Without both an account id and a token the service
 * still accepts and stores events; delivery waits until they are set.
 */
public final class DripAccount {

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{7,9}");
    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9]{20}");

    private final String accountId;
    private final String authorization;
    private final boolean tokenLooksUnusual;

    public DripAccount(String accountId, String apiToken) {
        this.accountId = blankToNull(accountId);
        String token = blankToNull(apiToken);
        if (this.accountId != null && !ACCOUNT_ID.matcher(this.accountId).matches()) {
            // mapping.md: a malformed account id is a startup error, since every call would 404.
            throw new IllegalArgumentException("drip.account-id must be Drip's numeric account id (7 to 9 digits), got '"
                    + this.accountId + "'");
        }
        // Drip reads the token as the Basic user name with an empty password (drip-api.md §2).
        this.authorization = token == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((token + ":").getBytes(StandardCharsets.UTF_8));
        this.tokenLooksUnusual = token != null && !TOKEN_SHAPE.matcher(token).matches();
    }

    public boolean isConfigured() {
        return accountId != null && authorization != null;
    }

    public String getAccountId() {
        return accountId;
    }

    /** The Authorization header value; kept out of toString and logs. */
    public String authorizationHeader() {
        return authorization;
    }

    /** Drip documents 20 alphanumerics; another shape is worth a warning, not a refusal. */
    public boolean tokenLooksUnusual() {
        return tokenLooksUnusual;
    }

    @Override
    public String toString() {
        return "DripAccount[" + accountId + ", token " + (authorization == null ? "unset" : "set") + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
