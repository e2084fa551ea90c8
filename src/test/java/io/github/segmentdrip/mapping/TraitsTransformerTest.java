package io.github.segmentdrip.mapping;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraitsTransformerTest {

    private static final Path SAMPLES = Path.of("../shared/reference/samples/segment-in");

    private final TraitsTransformer transformer = new TraitsTransformer();

    // ---- the samples, exactly -----------------------------------------------------------------

    @Nested
    class Samples {

        @Test
        void plainIdentifyWithCamelCaseTraits() throws IOException {
            Mapped mapped = transformer.toSubscriber(sample("identify-plain.webhooks-doc.json"));
            assertThat(mapped.payload()).isEqualTo(Map.of(
                    "email", "achilles@segment.com",
                    "user_id", "019mr8mf4r",
                    "first_name", "Achilles",
                    "custom_fields", Map.of("subscription_plan", "Premium", "friend_count", 29)));
            assertThat(mapped.warnings()).isEmpty();
        }

        @Test
        void completeSpecIdentify() throws IOException {
            Mapped mapped = transformer.toSubscriber(sample("identify-spec-complete.json"));
            assertThat(mapped.payload()).isEqualTo(Map.ofEntries(
                    entry("email", "peter@example.com"),
                    entry("user_id", "97980cfea0067"),
                    entry("first_name", "Peter"),
                    entry("last_name", "Gibbons"),
                    entry("address1", "6th St"),
                    entry("city", "San Francisco"),
                    entry("state", "CA"),
                    entry("country", "USA"),
                    entry("zip", "94103"),
                    entry("ip_address", "8.8.8.8"),
                    entry("custom_fields", Map.of("plan", "premium", "logins", 5))));
            assertThat(mapped.warnings()).isEmpty();
        }

        @Test
        void fullTraitsWithAddressCompanyAndEngageAudience() throws IOException {
            Mapped mapped = transformer.toSubscriber(sample("identify-address-engage-audience.composed.json"));
            assertThat(mapped.payload()).isEqualTo(Map.ofEntries(
                    entry("email", "peter@example.com"),
                    entry("user_id", "97980cfea0067"),
                    entry("first_name", "Peter"),
                    entry("last_name", "Gibbons"),
                    entry("phone", "+14155550123"),
                    entry("address1", "6th St"),
                    entry("city", "San Francisco"),
                    entry("state", "CA"),
                    entry("country", "USA"),
                    entry("zip", "94103"),
                    entry("time_zone", "America/Los_Angeles"),
                    entry("ip_address", "8.8.8.8"),
                    entry("custom_fields", Map.of(
                            "created_at", "2015-02-23T22:28:55.111Z",
                            "title", "Software Engineer",
                            "company_name", "Initech",
                            "company_id", "initech-1",
                            "company_industry", "Technology",
                            "company_employee_count", 329,
                            "company_plan", "enterprise",
                            "plan", "premium",
                            "first_time_shopper", true))));
            assertThat(mapped.warnings()).isEmpty();
        }

        @Test
        void fieldOrderIsStable() throws IOException {
            Mapped mapped = transformer.toSubscriber(sample("identify-address-engage-audience.composed.json"));
            assertThat(mapped.payload().keySet()).containsExactly("email", "user_id", "first_name", "last_name",
                    "phone", "address1", "city", "state", "country", "zip", "time_zone", "ip_address", "custom_fields");
            @SuppressWarnings("unchecked")
            Map<String, Object> customFields = (Map<String, Object>) mapped.payload().get("custom_fields");
            assertThat(customFields.keySet()).containsExactly("created_at", "title", "company_name", "company_id",
                    "company_industry", "company_employee_count", "company_plan", "plan", "first_time_shopper");
        }

        @Test
        void engageAudienceAsDelivered() throws IOException {
            Mapped mapped = transformer.toSubscriber(sample("identify-engage-audience.realworld-public.json"));
            assertThat(mapped.payload()).isEqualTo(Map.of(
                    "email", "dpease+test@drift.com",
                    "user_id", "<USER ID>",
                    "custom_fields", Map.of("eg_lcm_user_portal_roles_partial_access", true)));
            assertThat(mapped.warnings()).isEmpty();
        }

        @Test
        void engageDocsSamplesCarryNoEmailAndAreRejected() {
            for (String name : List.of("identify-engage-audience.docs.json", "identify-engage-audience-exit.docs.json",
                    "identify-engage-computed-trait.docs.json", "identify-engage-journey-string-true.docs.json")) {
                assertThatThrownBy(() -> transformer.toSubscriber(sample(name))).as(name)
                        .isInstanceOfSatisfying(MappingException.class, e -> {
                            assertThat(e.error()).isEqualTo("missing email");
                            assertThat(e.field()).isEqualTo("traits.email");
                        });
            }
        }

        @Test
        void engageAudienceEntryAndExitWithAnEmail() throws IOException {
            Map<String, Object> entry = withTraitEmail(sample("identify-engage-audience.docs.json"));
            assertThat(transformer.toSubscriber(entry).payload()).isEqualTo(Map.of(
                    "email", "shopper@example.com",
                    "user_id", "u123",
                    "custom_fields", Map.of("first_time_shopper", true)));

            // Exits are sent too, so Drip's segment loses the person.
            Map<String, Object> exit = withTraitEmail(sample("identify-engage-audience-exit.docs.json"));
            assertThat(transformer.toSubscriber(exit).payload()).isEqualTo(Map.of(
                    "email", "shopper@example.com",
                    "user_id", "u123",
                    "custom_fields", Map.of("first_time_shopper", false)));
        }

        @Test
        void engageComputedTraitWithAnEmail() throws IOException {
            Map<String, Object> event = withTraitEmail(sample("identify-engage-computed-trait.docs.json"));
            assertThat(transformer.toSubscriber(event).payload()).isEqualTo(Map.of(
                    "email", "shopper@example.com",
                    "user_id", "u123",
                    "custom_fields", Map.of("total_revenue_180_days", 450.0)));
        }

        @Test
        @SuppressWarnings("unchecked")
        void journeyStringTrueBecomesABoolean() throws IOException {
            Map<String, Object> event = withTraitEmail(sample("identify-engage-journey-string-true.docs.json"));
            // The docs anonymise computation_key as "j_o_###"; a real message names the trait.
            Map<String, Object> personas = (Map<String, Object>) ((Map<String, Object>) event.get("context")).get("personas");
            personas.put("computation_key", "j_o_first_purchase__opened_email_dje83h");
            assertThat(transformer.toSubscriber(event).payload()).isEqualTo(Map.of(
                    "email", "shopper@example.com",
                    "custom_fields", Map.of("j_o_first_purchase_opened_email_dje83h", true)));
        }

        @Test
        void journeyStringTrueStaysAStringWhenComputationKeyNamesAnotherTrait() throws IOException {
            // As the docs print it: "j_o_###" is not the trait's name, so nothing marks it as the audience.
            Map<String, Object> event = withTraitEmail(sample("identify-engage-journey-string-true.docs.json"));
            assertThat(transformer.toSubscriber(event).payload()).isEqualTo(Map.of(
                    "email", "shopper@example.com",
                    "custom_fields", Map.of("j_o_first_purchase_opened_email_dje83h", "true")));
        }

        @Test
        void identifiesInsideTheBatchSamples() throws IOException {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> batch = new ObjectMapper().readValue(
                    SAMPLES.resolve("batch-array.functions-doc.json").toFile(), List.class);
            assertThat(transformer.toSubscriber(batch.get(0)).payload()).isEqualTo(Map.of(
                    "email", "jake@yahoo.com",
                    "user_id", "019mr8mf4r",
                    "first_name", "Jake",
                    "last_name", "Peterson",
                    "custom_fields", Map.of("age", 26)));

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> httpBatch = (List<Map<String, Object>>)
                    sample("http-api-v1-batch-request.doc.json").get("batch");
            assertThat(transformer.toSubscriber(httpBatch.get(2)).payload()).isEqualTo(Map.of(
                    "email", "cindy@example.com",
                    "user_id", "971mj8mk7p",
                    "first_name", "Cindy",
                    "last_name", "Gonzalez",
                    "custom_fields", Map.of("age", 23)));
        }

        @Test
        void neverChangesTheMessage() throws IOException {
            Map<String, Object> event = sample("identify-address-engage-audience.composed.json");
            transformer.toSubscriber(event);
            assertThat(event).isEqualTo(sample("identify-address-engage-audience.composed.json"));
        }
    }

    // ---- the identify table, row by row -------------------------------------------------------

    @Nested
    class DripFields {

        @Test
        void emailFromTraitsThenContextTraitsThenEmailLikeUserId() {
            assertThat(subscriber(Map.of("traits", Map.of("email", " t@example.com "),
                    "context", Map.of("traits", Map.of("email", "c@example.com")))))
                    .containsEntry("email", "t@example.com");
            assertThat(subscriber(Map.of("traits", Map.of(), "context", Map.of("traits", Map.of("email", "c@example.com")))))
                    .containsEntry("email", "c@example.com");
            assertThat(subscriber(Map.of("userId", "u@example.com")))
                    .isEqualTo(Map.of("email", "u@example.com", "user_id", "u@example.com"));
        }

        @Test
        void noEmailIsRejected() {
            assertThatThrownBy(() -> transformer.toSubscriber(Map.of("userId", "97980cfea0067",
                    "traits", Map.of("name", "Peter"))))
                    .isInstanceOfSatisfying(MappingException.class, e -> {
                        assertThat(e.error()).isEqualTo("missing email");
                        assertThat(e.field()).isEqualTo("traits.email");
                        assertThat(e.getMessage()).isEqualTo("missing email");
                    });
        }

        @Test
        void userIdFromUserIdOnly() {
            assertThat(subscriber(Map.of("userId", "u-1", "traits", Map.of("email", "a@b.co"))))
                    .isEqualTo(Map.of("email", "a@b.co", "user_id", "u-1"));
            assertThat(subscriber(Map.of("userId", 42, "traits", Map.of("email", "a@b.co"))))
                    .containsEntry("user_id", "42");
            assertThat(subscriber(Map.of("anonymousId", "anon", "traits", Map.of("email", "a@b.co", "id", "t-1"))))
                    .isEqualTo(Map.of("email", "a@b.co"));
        }

        @Test
        void namesFromCamelCaseThenSnakeCaseThenName() {
            assertThat(traits(Map.of("firstName", "Peter", "first_name", "Pete", "lastName", "Gibbons",
                    "last_name", "Gib", "name", "P G")))
                    .isEqualTo(Map.of("email", "a@b.co", "first_name", "Peter", "last_name", "Gibbons"));
            assertThat(traits(Map.of("first_name", "Pete", "last_name", "Gib", "name", "P G")))
                    .isEqualTo(Map.of("email", "a@b.co", "first_name", "Pete", "last_name", "Gib"));
            assertThat(traits(Map.of("name", "  Mary Ann  van Dyke ")))
                    .isEqualTo(Map.of("email", "a@b.co", "first_name", "Mary", "last_name", "Ann  van Dyke"));
            assertThat(traits(Map.of("name", "Achilles"))).isEqualTo(Map.of("email", "a@b.co", "first_name", "Achilles"));
            assertThat(traits(Map.of("firstName", "Peter", "name", "Peter Gibbons")))
                    .isEqualTo(Map.of("email", "a@b.co", "first_name", "Peter", "last_name", "Gibbons"));
            assertThat(traits(Map.of("firstName", " ", "name", "Peter Gibbons")))
                    .isEqualTo(Map.of("email", "a@b.co", "first_name", "Peter", "last_name", "Gibbons"));
        }

        @Test
        void phoneAsAString() {
            assertThat(traits(Map.of("phone", "+14155550123"))).containsEntry("phone", "+14155550123");
            assertThat(traits(Map.of("phone", 4155550123L))).containsEntry("phone", "4155550123");
        }

        @Test
        void addressFields() {
            assertThat(traits(Map.of("address", Map.of("street", "6th St", "street2", "Apt 4", "city", "San Francisco",
                    "state", "CA", "country", "USA", "postalCode", "94103"))))
                    .isEqualTo(Map.of("email", "a@b.co", "address1", "6th St", "address2", "Apt 4",
                            "city", "San Francisco", "state", "CA", "country", "USA", "zip", "94103"));
        }

        @Test
        void zipFromPostalCodeThenPostalUnderscoreCodeThenZip() {
            assertThat(traits(Map.of("address", Map.of("postalCode", "1", "postal_code", "2", "zip", "3"))))
                    .isEqualTo(Map.of("email", "a@b.co", "zip", "1"));
            assertThat(traits(Map.of("address", Map.of("postal_code", "2", "zip", "3"))))
                    .isEqualTo(Map.of("email", "a@b.co", "zip", "2"));
            assertThat(traits(Map.of("address", Map.of("zip", 94103)))).isEqualTo(Map.of("email", "a@b.co", "zip", "94103"));
        }

        @Test
        void otherAddressKeysBecomeCustomFieldsAndAScalarAddressIsOneCustomField() {
            assertThat(traits(Map.of("address", Map.of("city", "Paris", "unit", "4B"))))
                    .isEqualTo(Map.of("email", "a@b.co", "city", "Paris", "custom_fields", Map.of("address_unit", "4B")));
            assertThat(traits(Map.of("address", "6th St, San Francisco")))
                    .isEqualTo(Map.of("email", "a@b.co", "custom_fields", Map.of("address", "6th St, San Francisco")));
        }

        @Test
        void timeZoneFromTraitsThenContext() {
            Map<String, Object> context = Map.of("timezone", "Europe/Amsterdam");
            assertThat(subscriber(Map.of("traits", Map.of("email", "a@b.co", "time_zone", "Asia/Tokyo",
                    "timezone", "Europe/Paris"), "context", context))).containsEntry("time_zone", "Asia/Tokyo");
            assertThat(subscriber(Map.of("traits", Map.of("email", "a@b.co", "timezone", "Europe/Paris"),
                    "context", context))).isEqualTo(Map.of("email", "a@b.co", "time_zone", "Europe/Paris"));
            assertThat(subscriber(Map.of("traits", Map.of("email", "a@b.co"), "context", context)))
                    .isEqualTo(Map.of("email", "a@b.co", "time_zone", "Europe/Amsterdam"));
        }

        @Test
        void ipAddressFromTraitsThenContext() {
            assertThat(subscriber(Map.of("traits", Map.of("email", "a@b.co", "ip_address", "1.2.3.4"),
                    "context", Map.of("ip", "8.8.8.8")))).isEqualTo(Map.of("email", "a@b.co", "ip_address", "1.2.3.4"));
            assertThat(subscriber(Map.of("traits", Map.of("email", "a@b.co"), "context", Map.of("ip", "8.8.8.8"))))
                    .isEqualTo(Map.of("email", "a@b.co", "ip_address", "8.8.8.8"));
        }

        @Test
        void tagsAndRemoveTagsFromArraysOrCommaSeparatedStrings() {
            assertThat(traits(Map.of("tags", List.of("Customer", " SEO ", ""),
                    "remove_tags", " lead, ,prospect,, ")))
                    .isEqualTo(Map.of("email", "a@b.co", "tags", List.of("Customer", "SEO"),
                            "remove_tags", List.of("lead", "prospect")));
            assertThat(traits(Map.of("tags", " , ", "remove_tags", List.of()))).isEqualTo(Map.of("email", "a@b.co"));
            assertThat(traits(Map.of("tags", List.of(2024, true)))).containsEntry("tags", List.of("2024", "true"));
        }

        @Test
        void unusableTagsAreDroppedAndReported() {
            Mapped mapped = transformer.toSubscriber(Map.of("traits", Map.of("email", "a@b.co",
                    "tags", Map.of("a", 1), "remove_tags", List.of(List.of("x")))));
            assertThat(mapped.payload()).isEqualTo(Map.of("email", "a@b.co"));
            assertThat(mapped.warnings()).containsExactly(
                    "traits.tags dropped: Drip expects a list of strings or a comma-separated string",
                    "traits.remove_tags dropped: Drip expects a list of strings or a comma-separated string");
        }

        @Test
        void newEmailFromSnakeThenCamelCase() {
            assertThat(traits(Map.of("new_email", "n1@b.co", "newEmail", "n2@b.co")))
                    .isEqualTo(Map.of("email", "a@b.co", "new_email", "n1@b.co"));
            assertThat(traits(Map.of("newEmail", "n2@b.co"))).isEqualTo(Map.of("email", "a@b.co", "new_email", "n2@b.co"));
        }

        @Test
        void typedFields() {
            assertThat(traits(Map.of("prospect", false, "base_lead_score", 30, "lifetime_value", 129999,
                    "eu_consent", "granted", "eu_consent_message", "I agree")))
                    .isEqualTo(Map.of("email", "a@b.co", "prospect", false, "base_lead_score", 30L,
                            "lifetime_value", 129999L, "eu_consent", "granted", "eu_consent_message", "I agree"));
            assertThat(traits(Map.of("prospect", "TRUE", "base_lead_score", "45", "lifetime_value", 500.0,
                    "eu_consent", " Denied ")))
                    .isEqualTo(Map.of("email", "a@b.co", "prospect", true, "base_lead_score", 45L,
                            "lifetime_value", 500L, "eu_consent", "denied"));
        }

        @Test
        void typedFieldsOfTheWrongTypeAreDroppedAndReported() {
            Mapped mapped = transformer.toSubscriber(Map.of("traits", new LinkedHashMap<>(Map.of("email", "a@b.co",
                    "prospect", "yes", "base_lead_score", "high", "lifetime_value", 12.5, "eu_consent", "maybe"))));
            assertThat(mapped.payload()).isEqualTo(Map.of("email", "a@b.co"));
            assertThat(mapped.warnings()).containsExactlyInAnyOrder(
                    "traits.prospect dropped: Drip expects a boolean",
                    "traits.base_lead_score dropped: Drip expects an integer",
                    "traits.lifetime_value dropped: Drip expects an integer number of cents",
                    "traits.eu_consent dropped: Drip expects granted or denied");
        }

        @Test
        void textFieldsOfTheWrongTypeAreDroppedAndReported() {
            Map<String, Object> traits = new LinkedHashMap<>();
            traits.put("email", "a@b.co");
            traits.put("phone", true);
            traits.put("firstName", Map.of("given", "Peter"));
            traits.put("address", Map.of("city", List.of("Paris")));
            Mapped mapped = transformer.toSubscriber(Map.of("traits", traits));
            assertThat(mapped.payload()).isEqualTo(Map.of("email", "a@b.co"));
            assertThat(mapped.warnings()).containsExactly("traits.phone dropped: Drip expects text",
                    "traits.firstName dropped: Drip expects text", "traits.address.city dropped: Drip expects text");
        }

        @Test
        void statusAndInitialStatusAreNotLiftedButBecomeCustomFields() {
            assertThat(traits(Map.of("status", "unsubscribed", "initial_status", "unsubscribed")))
                    .isEqualTo(Map.of("email", "a@b.co",
                            "custom_fields", Map.of("status", "unsubscribed", "initial_status", "unsubscribed")));
        }

        @Test
        void liftedTraitsAreNotRepeatedInCustomFieldsNorAreIdAndUserId() {
            Map<String, Object> traits = new LinkedHashMap<>();
            traits.put("email", "a@b.co");
            traits.put("id", "t-1");
            traits.put("firstName", "Peter");
            traits.put("first_name", "Pete");
            traits.put("lastName", "Gibbons");
            traits.put("last_name", "Gib");
            traits.put("name", "Peter Gibbons");
            traits.put("phone", "555");
            traits.put("address", Map.of("street", "s", "street2", "s2", "city", "c", "state", "st", "country", "co",
                    "postalCode", "1", "postal_code", "2", "zip", "3"));
            traits.put("time_zone", "Asia/Tokyo");
            traits.put("timezone", "Europe/Paris");
            traits.put("ip_address", "1.2.3.4");
            traits.put("tags", "a");
            traits.put("remove_tags", "b");
            traits.put("new_email", "n@b.co");
            traits.put("newEmail", "m@b.co");
            traits.put("prospect", true);
            traits.put("base_lead_score", 1);
            traits.put("lifetime_value", 2);
            traits.put("eu_consent", "granted");
            traits.put("eu_consent_message", "ok");
            Mapped mapped = transformer.toSubscriber(Map.of("userId", "u-1", "traits", traits));
            assertThat(mapped.payload()).doesNotContainKey("custom_fields");
            assertThat(mapped.warnings()).isEmpty();
        }

        @Test
        void absentFieldsAreOmittedNeverNull() {
            Map<String, Object> traits = new HashMap<>();
            traits.put("email", "a@b.co");
            traits.put("firstName", null);
            traits.put("phone", null);
            traits.put("tags", null);
            traits.put("prospect", null);
            traits.put("address", null);
            traits.put("plan", null);
            Map<String, Object> event = new HashMap<>();
            event.put("userId", null);
            event.put("traits", traits);
            event.put("context", null);
            Mapped mapped = transformer.toSubscriber(event);
            assertThat(mapped.payload()).isEqualTo(Map.of("email", "a@b.co"));
            assertThat(mapped.warnings()).isEmpty();
        }
    }

    // ---- custom fields ------------------------------------------------------------------------

    @Nested
    class CustomFields {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', value = {
                "subscriptionPlan     | subscription_plan",
                "Friend Count         | friend_count",
                "friendCount          | friend_count",
                "shirt_size           | shirt_size",
                "URLPath              | url_path",
                "userID               | user_id",
                "last30Days           | last30_days",
                "order_completed_last_30days | order_completed_last_30days",
                "__Total   Billed!__  | total_billed",
                "e-mail.opt-in        | e_mail_opt_in",
                "café                 | caf",
                "a__b                 | a_b",
                "日本語               | ''",
                "___                  | ''",
        })
        void keysAreLowercaseSnakeCase(String key, String expected) {
            assertThat(TraitsTransformer.customFieldKey(key)).isEqualTo(expected);
        }

        @Test
        void everyOtherTraitIsACustomFieldWithANormalisedKey() {
            assertThat(customFields(Map.of("subscriptionPlan", "Premium", "Friend Count", 29)))
                    .isEqualTo(Map.of("subscription_plan", "Premium", "friend_count", 29));
        }

        @Test
        void twoTraitsWithTheSameKeyTheLaterWins() {
            Map<String, Object> traits = new LinkedHashMap<>();
            traits.put("friendCount", 1);
            traits.put("friend_count", 2);
            traits.put("Friend Count", 3);
            traits.put("plan", "a");
            assertThat(customFields(traits)).isEqualTo(Map.of("friend_count", 3, "plan", "a"));

            Map<String, Object> flattenedFirst = new LinkedHashMap<>();
            flattenedFirst.put("company", Map.of("name", "Initech"));
            flattenedFirst.put("company_name", "Initrode");
            assertThat(customFields(flattenedFirst)).isEqualTo(Map.of("company_name", "Initrode"));
        }

        @Test
        void dripReservedKeysAreDroppedAndReported() {
            Mapped mapped = withTraits(Map.of("drip_score", 5, "Drip Source", "x", "drip", Map.of("id", 1),
                    "dripped", true));
            assertThat(mapped.payload().get("custom_fields")).isEqualTo(Map.of("dripped", true));
            assertThat(mapped.warnings()).containsExactlyInAnyOrder(
                    "traits.drip_score dropped: custom fields starting with drip_ are reserved by Drip",
                    "traits.Drip Source dropped: custom fields starting with drip_ are reserved by Drip",
                    "traits.drip.id dropped: custom fields starting with drip_ are reserved by Drip");
        }

        @Test
        void nestedObjectsAreFlattenedWithUnderscore() {
            assertThat(customFields(Map.of("company", Map.of("name", "Initech", "employee_count", 329,
                    "billing", Map.of("planName", "gold", "seats", List.of(1, 2))))))
                    .isEqualTo(Map.of("company_name", "Initech", "company_employee_count", 329,
                            "company_billing_plan_name", "gold", "company_billing_seats", "1,2"));
        }

        @Test
        void customFieldsObjectsAreUsedDirectlyAndWin() {
            Map<String, Object> traits = new LinkedHashMap<>();
            traits.put("custom_fields", Map.of("fizz", "buzz", "shirtSize", "M", "plan", "from custom_fields"));
            traits.put("plan", "flattened");
            traits.put("shirt", Map.of("size", "L"));
            traits.put("status", "active");
            assertThat(customFields(traits)).isEqualTo(Map.of(
                    "fizz", "buzz", "shirt_size", "M", "plan", "from custom_fields", "status", "active"));

            Mapped camelCase = withTraits(Map.of("customFields", Map.of("fizz", "buzz", "drip_x", 1, "nested", Map.of("a", 1))));
            assertThat(camelCase.payload().get("custom_fields")).isEqualTo(Map.of("fizz", "buzz", "nested_a", 1));
            assertThat(camelCase.warnings()).containsExactly(
                    "traits.customFields.drip_x dropped: custom fields starting with drip_ are reserved by Drip");
        }

        @Test
        void aCustomFieldsTraitThatIsNotAnObjectIsAnOrdinaryTrait() {
            assertThat(customFields(Map.of("custom_fields", "plain"))).isEqualTo(Map.of("custom_fields", "plain"));
        }

        @Test
        void keysThatNormaliseToNothingAreDroppedAndReported() {
            Mapped mapped = withTraits(Map.of("日本語", "x", "plan", "p"));
            assertThat(mapped.payload().get("custom_fields")).isEqualTo(Map.of("plan", "p"));
            assertThat(mapped.warnings()).containsExactly(
                    "traits.日本語 dropped: its name has no letters or digits Drip accepts");
        }

        @Test
        void scalarsAreSentAsTheyAre() {
            assertThat(customFields(Map.of("s", "text", "i", 5, "l", 5_000_000_000L, "d", 1.5, "b", false,
                    "birthday", "1990-04-01T00:00:00.000Z")))
                    .isEqualTo(Map.of("s", "text", "i", 5, "l", 5_000_000_000L, "d", 1.5, "b", false,
                            "birthday", "1990-04-01T00:00:00.000Z"));
        }

        @Test
        void arraysOfScalarsBecomeCommaSeparatedStrings() {
            List<Object> withNull = new ArrayList<>(List.of("red", "green"));
            withNull.add(null);
            assertThat(customFields(Map.of("colors", withNull, "numbers", List.of(1, 2.5, 3.0), "flags", List.of(true),
                    "none", List.of())))
                    .isEqualTo(Map.of("colors", "red,green", "numbers", "1,2.5,3", "flags", "true", "none", ""));
        }

        @Test
        void arraysOfObjectsAreDroppedAndReported() {
            Mapped mapped = withTraits(Map.of("orders", List.of(Map.of("id", 1)), "plan", "p"));
            assertThat(mapped.payload().get("custom_fields")).isEqualTo(Map.of("plan", "p"));
            assertThat(mapped.warnings()).containsExactly(
                    "traits.orders dropped: a list of objects or lists has no custom field form");
        }

        @Test
        void nullsAreSkippedSilently() {
            Map<String, Object> company = new HashMap<>(Map.of("name", "Initech"));
            company.put("plan", null);
            Map<String, Object> traits = new HashMap<>();
            traits.put("plan", null);
            traits.put("company", company);
            Mapped mapped = withTraits(traits);
            assertThat(mapped.payload().get("custom_fields")).isEqualTo(Map.of("company_name", "Initech"));
            assertThat(mapped.warnings()).isEmpty();
        }

        @Test
        void valuesOverAThousandCharactersAreDroppedAndReported() {
            String limit = "x".repeat(1_000);
            Mapped mapped = withTraits(Map.of("bio", limit + "y", "motto", limit, "tags_history",
                    List.of("a".repeat(600), "b".repeat(600)), "emoji", "😀".repeat(1_000)));
            assertThat(mapped.payload().get("custom_fields")).isEqualTo(Map.of("motto", limit, "emoji", "😀".repeat(1_000)));
            assertThat(mapped.warnings()).containsExactlyInAnyOrder(
                    "traits.bio dropped: longer than 1000 characters",
                    "traits.tags_history dropped: longer than 1000 characters");
        }

        @Test
        void noCustomFieldsObjectWhenThereAreNone() {
            assertThat(traits(Map.of())).isEqualTo(Map.of("email", "a@b.co"));
            assertThat(subscriber(Map.of("userId", "a@b.co"))).isEqualTo(Map.of("email", "a@b.co", "user_id", "a@b.co"));
        }
    }

    // ---- Engage audiences ---------------------------------------------------------------------

    @Nested
    class EngageAudiences {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource({"true, true", "false, false", "TRUE, true", "' false ', false"})
        void theAudienceTraitAsAStringBecomesABoolean(String sent, boolean expected) {
            assertThat(audienceCustomFields("audience", "order_completed_last_30days", sent))
                    .isEqualTo(Map.of("order_completed_last_30days", expected));
        }

        @Test
        void booleansStayBooleans() {
            assertThat(audienceCustomFields("audience", "order_completed_last_30days", false))
                    .isEqualTo(Map.of("order_completed_last_30days", false));
        }

        @Test
        void otherStringsAndOtherTraitsAreUntouched() {
            Map<String, Object> traits = new LinkedHashMap<>();
            traits.put("email", "a@b.co");
            traits.put("order_completed_last_30days", "yes");
            traits.put("newsletter", "true");
            Map<String, Object> event = Map.of("traits", traits, "context", Map.of("personas",
                    Map.of("computation_class", "audience", "computation_key", "order_completed_last_30days")));
            assertThat(transformer.toSubscriber(event).payload().get("custom_fields"))
                    .isEqualTo(Map.of("order_completed_last_30days", "yes", "newsletter", "true"));
        }

        @Test
        void computedTraitsAreNotAudiences() {
            assertThat(audienceCustomFields("trait", "likes_boots", "true")).isEqualTo(Map.of("likes_boots", "true"));
        }

        @Test
        void theComputationKeyMatchesTheTraitAfterNormalisation() {
            Map<String, Object> event = Map.of("traits", Map.of("email", "a@b.co", "VIP Customers", "true"),
                    "context", Map.of("personas", Map.of("computation_class", "audience",
                            "computation_key", "vip_customers")));
            assertThat(transformer.toSubscriber(event).payload().get("custom_fields"))
                    .isEqualTo(Map.of("vip_customers", true));
        }

        private Object audienceCustomFields(String computationClass, String key, Object value) {
            Map<String, Object> event = Map.of("traits", Map.of("email", "a@b.co", key, value),
                    "context", Map.of("personas", Map.of("computation_class", computationClass, "computation_key", key)));
            return transformer.toSubscriber(event).payload().get("custom_fields");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Map<String, Object> subscriber(Map<String, Object> event) {
        return transformer.toSubscriber(event).payload();
    }

    /** The subscriber for these traits plus email a@b.co. */
    private Map<String, Object> traits(Map<String, Object> traits) {
        return withTraits(traits).payload();
    }

    private Mapped withTraits(Map<String, Object> traits) {
        Map<String, Object> all = new LinkedHashMap<>(traits);
        all.put("email", "a@b.co");
        return transformer.toSubscriber(Map.of("traits", all));
    }

    private Object customFields(Map<String, Object> traits) {
        Mapped mapped = withTraits(traits);
        assertThat(mapped.warnings()).isEmpty();
        return mapped.payload().get("custom_fields");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withTraitEmail(Map<String, Object> event) {
        ((Map<String, Object>) event.get("traits")).put("email", "shopper@example.com");
        return event;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sample(String name) throws IOException {
        return new ObjectMapper().readValue(SAMPLES.resolve(name).toFile(), LinkedHashMap.class);
    }
}
