package io.gatehouse.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import java.nio.charset.StandardCharsets;

/**
 * Wraps an encoder and passes its final text through {@link SecretRedactor}, so a secret is masked whatever the
 * format and wherever in the line it appears (message, exception, thread name). Usable from logback.xml as
 * {@code <encoder class="…RedactingEncoder"><delegate class="…"/></encoder>}.
 */
public final class RedactingEncoder extends EncoderBase<ILoggingEvent> {
    private Encoder<ILoggingEvent> delegate;

    public RedactingEncoder() {
    }

    public RedactingEncoder(Encoder<ILoggingEvent> delegate) {
        this.delegate = delegate;
    }

    public void setDelegate(Encoder<ILoggingEvent> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start() {
        if (delegate == null) {
            addError("RedactingEncoder needs a <delegate> encoder");
            return;
        }
        if (!delegate.isStarted()) {
            delegate.start();
        }
        super.start();
    }

    @Override
    public void stop() {
        delegate.stop();
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] encoded = delegate.encode(event);
        String text = new String(encoded, StandardCharsets.UTF_8);
        String redacted = SecretRedactor.redact(text);
        return redacted == text ? encoded : redacted.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
