package io.gatehouse.recording;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * A generator that redacts every string value on its way out; field names pass unchanged. Serialising a value
 * through it writes what {@link Redaction#strings} of its tree would, without building and copying that tree.
 */
final class RedactingGenerator extends JsonGeneratorDelegate {
    private final UnaryOperator<String> redact;

    RedactingGenerator(JsonGenerator generator, UnaryOperator<String> redact) {
        // Not copying: writeObject and writeTree must serialise through this generator, not around it.
        super(generator, false);
        this.redact = redact;
    }

    @Override
    public void writeString(String text) throws IOException {
        delegate.writeString(text == null ? null : redact.apply(text));
    }

    @Override
    public void writeString(char[] text, int offset, int length) throws IOException {
        writeString(new String(text, offset, length));
    }

    @Override
    public void writeString(SerializableString text) throws IOException {
        writeString(text.getValue());
    }
}
