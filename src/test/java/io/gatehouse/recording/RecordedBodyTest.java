package io.gatehouse.recording;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RecordedBodyTest {

    @Test
    void validUtf8IsText() {
        String text = "plain ascii, Grüße, 日本語, 😀 and a real replacement character \uFFFD";
        assertThat(RecordedBody.utf8(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)))).isEqualTo(text);
        assertThat(RecordedBody.utf8(Buffer.buffer())).isEmpty();
    }

    @Test
    void malformedUtf8IsNoText() {
        assertThat(RecordedBody.utf8(Buffer.buffer(new byte[]{'o', 'k', (byte) 0xC3}))).isNull();
        assertThat(RecordedBody.utf8(Buffer.buffer(new byte[]{(byte) 0xFF, (byte) 0xFE, 0, 1}))).isNull();
        // An encoded surrogate is not UTF-8 either.
        assertThat(RecordedBody.utf8(Buffer.buffer(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}))).isNull();
    }
}
