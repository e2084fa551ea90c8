package io.github.segmentdrip.it;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.github.segmentdrip.it.DripEmulatorResource.drip;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/extend.md's worked example, on a running service: edit route-by-type.camel.yaml so page calls
 * go to Drip as events named "Viewed <name>", and the change takes effect without a restart.
 */
@QuarkusTest
@WithTestResource(EditableRoutesResource.class)
class LiveRouteEditTest {

    private static final String PAGE = "{\"userId\":\"reader@example.com\",\"name\":\"Pricing\","
            + "\"properties\":{\"url\":\"https://example.com/pricing\"}}";

    @Test
    void aPageRuleAddedToTheRouterWorksWithoutRestart() throws IOException {
        // As shipped, page calls are skipped: only the track sent after it reaches Drip.
        given().contentType(ContentType.JSON).body(PAGE).post("/v1/page").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"userId\":\"reader@example.com\",\"event\":\"Marker\"}")
                .post("/v1/track").then().statusCode(200);
        await().until(() -> drip().events().size() == 1);
        assertThat(drip().events().get(0).get("action").asText()).isEqualTo("Marker");
        drip().reset();

        Path router = EditableRoutesResource.routes().resolve("route-by-type.camel.yaml");
        String edited = Files.readString(router).replace("""
                                    - simple: "${header.segmentRoute} == 'track'"
                """, """
                                    - simple: "${header.segmentRoute} == 'page'"
                                      steps:
                                        - bean:
                                            ref: dripWork
                                            method: "eventNamed(${body}, 'Viewed ${body.event[name]}')"
                                    - simple: "${header.segmentRoute} == 'track'"
                """);
        assertThat(edited).contains("Viewed");
        Files.writeString(router, edited);

        // Send pages until the reloaded router turns one into a Drip event.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            given().contentType(ContentType.JSON).body(PAGE).post("/v1/page").then().statusCode(200);
            return drip().events().stream().anyMatch(e -> e.get("action").asText().equals("Viewed Pricing"));
        });
        assertThat(drip().events().get(0).get("properties").get("url").asText()).isEqualTo("https://example.com/pricing");
        assertThat(drip().events().get(0).get("email").asText()).isEqualTo("reader@example.com");
    }
}
