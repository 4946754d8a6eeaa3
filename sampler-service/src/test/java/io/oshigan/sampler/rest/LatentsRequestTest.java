package io.oshigan.sampler.rest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The latents body, read into floats with its counts bounded while it is read. */
class LatentsRequestTest {
    private static final int MAX = 64;

    @Test
    void vectorsFormatAndVersionAreReadAndOtherFieldsIgnored() {
        LatentsRequest request = read("{\"note\": {\"a\": [1, 2]}, \"latents\": [[0.5, -1, 2e-3], [0, 0, 1]],"
                + " \"format\": \"JSON\", \"version\": \"run@12\"}");
        assertThat(request.count()).isEqualTo(2);
        assertThat(request.json()).isTrue();
        assertThat(request.version()).isEqualTo("run@12");
        assertThat(request.flattened(3, "run@12")).containsExactly(0.5f, -1f, 0.002f, 0f, 0f, 1f);
        assertThat(read("{\"latents\": [[1]]}").json()).isFalse();
    }

    /**
     * A body far larger than any request needs is refused at the first value past the bound, having allocated little:
     * 16 MB of zeros in one vector (8 million values; as boxed numbers in a list, about 200 MB).
     */
    @Test
    void aHugeBodyIsRefusedAtTheBoundWithoutHoldingItsValues() {
        byte[] oneLongVector = body(1, 8_000_000);
        long allocated = allocated(() -> assertThatThrownBy(() -> LatentsRequest.read(new ByteArrayInputStream(oneLongVector), MAX))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("latent vector 0 has more than 1024 values (the most any version's nz can be)"));
        assertThat(allocated).as("bytes allocated").isLessThan(1L << 20);
        byte[] manyVectors = body(1_000_000, 1);
        allocated = allocated(() -> assertThatThrownBy(() -> LatentsRequest.read(new ByteArrayInputStream(manyVectors), MAX))
                .isInstanceOf(BadRequestException.class).hasMessage("at most 64 latent vectors in one request"));
        assertThat(allocated).as("bytes allocated").isLessThan(1L << 20);
    }

    /**
     * A megabyte-long "format" or field name is refused at 256 characters: it was read whole (Jackson's default allows
     * 20 M) and echoed whole in the 400's message ("format must be png or json but is '...'").
     */
    @Test
    void aHugeStringIsRefusedAtItsBoundAndNotEchoed() {
        String huge = "x".repeat(1 << 20);
        assertRefused("{\"format\": \"" + "x".repeat(257) + "\"}", "the body has a string"); // classes loaded first
        for (String json : new String[]{"{\"latents\": [[1]], \"format\": \"" + huge + "\"}",
                "{\"" + huge + "\": 1, \"latents\": [[1]]}"}) {
            byte[] body = json.getBytes(StandardCharsets.US_ASCII);
            long allocated = allocated(() -> assertThatThrownBy(() -> LatentsRequest.read(new ByteArrayInputStream(body), MAX))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessage("the body has a string or field name longer than 256 characters"));
            assertThat(allocated).as("bytes allocated, %s", json.substring(0, 20)).isLessThan(1L << 20);
        }
        // a long value of a field nobody reads is skipped, not held
        assertThat(read("{\"note\": \"" + huge + "\", \"latents\": [[1]]}").count()).isEqualTo(1);
    }

    @Test
    void whatIsNotAListOfNumbersGetsItsReason() {
        assertRefused("", "the body must be a JSON object with \"latents\": a list of latent vectors");
        assertRefused("{\"latents\": [[1, 2,", "the body is not valid JSON: ");
        assertRefused("{\"latents\": 3}", "\"latents\" must be a list of latent vectors");
        assertRefused("{\"latents\": [[1, \"NaN\"]]}", "latent vector 0 value 1 is not a finite number");
        assertRefused("{\"latents\": [[1], 2]}", "latent vector 1 is not a list of numbers");
        assertRefused("{\"latents\": [[1]], \"format\": 5}", "\"format\" must be a string");
        assertThatThrownBy(() -> read("{\"latents\": [[1, 1e39]]}").flattened(2, "v@1"))
                .hasMessage("latent vector 0 value 1 is not a finite number");
        assertThatThrownBy(() -> read("{\"latents\": []}").count())
                .hasMessage("the body needs \"latents\": a non-empty list of latent vectors");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(BadRequestException.class).hasMessageStartingWith(message);
    }

    private static LatentsRequest read(String json) {
        return LatentsRequest.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), MAX);
    }

    /** {"latents": [[0,0,...], ...]}: {@code vectors} of {@code values} zeros. */
    private static byte[] body(int vectors, int values) {
        StringBuilder json = new StringBuilder("{\"latents\": [");
        String vector = "[" + "0,".repeat(values - 1) + "0]";
        for (int i = 0; i < vectors; i++) {
            json.append(i == 0 ? "" : ",").append(vector);
        }
        return json.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static long allocated(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
