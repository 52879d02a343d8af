package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a JSON-lines recording, rendered on the writer thread: the event loop only captures immutable data,
 * and building, redacting and serialising the JSON happens off the request path.
 */
@FunctionalInterface
interface LineRecord {
    JsonNode render();
}
