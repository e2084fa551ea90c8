package io.github.segmentdrip.admin;

import io.github.segmentdrip.http.RequestRefused;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin API's door: {@code Authorization: Bearer <admin.token>}. Without a configured token
 * the API does not exist (404), so a forgotten setting cannot leave it open.
 */
public class AdminAuth {

    private final byte[] expected;

    public AdminAuth(String token) {
        this.expected = token == null || token.isBlank() ? null : ("Bearer " + token.trim()).getBytes(StandardCharsets.UTF_8);
    }

    public void require(String authorization) {
        if (expected == null) {
            throw new RequestRefused(404, "admin API is off: set ADMIN_TOKEN to turn it on", null);
        }
        byte[] given = authorization == null ? new byte[0] : authorization.trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new RequestRefused(401, "missing or invalid admin token", "Authorization");
        }
    }

    @Override
    public String toString() {
        return "AdminAuth[" + (expected == null ? "off" : "on") + "]";
    }
}
