package io.github.segmentdrip.config;

import io.github.segmentdrip.http.RefusalBodies;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Refusals the HTTP layer makes before a route runs (an unknown path, a wrong method, a body over
 * the server's limit) answer in the intake's JSON error shape, {@code {"success":false,"error":…}},
 * instead of an HTML page or an empty body: a Segment library or a curl user reads the same shape
 * whichever layer refused (mapping.md "Request bodies").
 */
public class HttpErrorBodies {

    void jsonErrors(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        // Quarkus ends an over-long declared body with an empty 413 before any failure handler runs.
        maxBodySize.ifPresent(limit -> router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOver(length, limit.asLongValue())) {
                context.response().putHeader(HttpHeaders.CONNECTION, "close");
                answer(context, 413);
            } else {
                context.next();
            }
        }));
        // Before Quarkus's own failure handler, which answers HTML or plain text.
        router.route().order(Integer.MIN_VALUE).failureHandler(context -> failed(router, context));
        // Quarkus's path-less routes (static resources take GET and HEAD anywhere) blur Vert.x's own
        // 404/405 choice, so it is made again from the routes that name a path.
        router.errorHandler(404, context -> notRouted(router, context));
        router.errorHandler(405, context -> notRouted(router, context));
        router.errorHandler(413, context -> answer(context, 413));
    }

    /** The methods of the method-restricted routes whose path pattern ({@code /v1/:call}) matches {@code path}. */
    private static Set<String> allowedMethods(Router router, String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            Set<HttpMethod> methods = route.methods();
            if (route.getPath() != null && methods != null && !methods.isEmpty()
                    && pattern(route.getPath()).matcher(path).matches()) {
                methods.forEach(method -> allowed.add(method.name()));
            }
        }
        return allowed;
    }

    /** {@code /v1/:call} → {@code /v1/[^/]+/?}: a path parameter is one segment; a trailing slash is allowed. */
    private static Pattern pattern(String routePath) {
        StringJoiner regex = new StringJoiner("/");
        for (String segment : routePath.split("/", -1)) {
            regex.add(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
        }
        return Pattern.compile(regex + "/?");
    }

    private static boolean isOver(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.strip()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void notRouted(Router router, RoutingContext context) {
        Set<String> allowed = allowedMethods(router, context.normalizedPath());
        if (allowed.isEmpty()) {
            answer(context, 404);
        } else {
            context.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
            answer(context, 405);
        }
    }

    private static void failed(Router router, RoutingContext context) {
        int status = context.statusCode();
        if (status == 404 || status == 405) {
            notRouted(router, context);
        } else if (status >= 400 && status < 500 && !context.response().headWritten()) {
            answer(context, status);
        } else {
            context.next();
        }
    }

    private static void answer(RoutingContext context, int status) {
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            return;
        }
        String body = RefusalBodies.error(reason(context, status), null);
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    private static String shortened(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "…" : path;
    }

    private static String reason(RoutingContext context, int status) {
        return switch (status) {
            case 404 -> "no such endpoint: " + context.request().method() + " " + shortened(context.normalizedPath());
            case 405 -> "method " + context.request().method() + " not allowed here";
            case 413 -> "body larger than the server accepts";
            case 415 -> "unsupported content type";
            default -> "request refused (" + status + ")";
        };
    }
}
