package io.gatehouse.manage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import io.gatehouse.store.AuditLog;
import io.gatehouse.store.AuditQuery;
import io.gatehouse.store.AuditVerification;
import io.vertx.core.Future;

import java.nio.file.NoSuchFileException;

/** {@code /manage/audit}: llm-proxy's filters and its {@code {events, pagination}} page, plus chain verification. */
final class AuditHandlers {
    private static final int MAX_PAGE_SIZE = 100;

    private final AuditLog log;

    AuditHandlers(AuditLog log) {
        this.log = log;
    }

    Future<Reply> list(ManageCall call) {
        AuditQuery query = new AuditQuery(call.query("action"), call.query("actor"), call.query("outcome"),
                call.query("target") != null ? call.query("target") : call.query("project_id"), call.query("request_id"),
                call.query("search"), call.queryTime("start_time"), call.queryTime("end_time"));
        int page = call.queryInt("page", 1, 1, 1_000_000);
        int pageSize = call.queryInt("page_size", 20, 1, MAX_PAGE_SIZE);
        return log.list(query, pageSize, (page - 1) * pageSize).map(found -> {
            ObjectNode body = Json.MAPPER.createObjectNode();
            ArrayNode events = body.putArray("events");
            found.items().forEach(record -> events.add(ManageJson.audit(record)));
            long totalPages = (found.total() + pageSize - 1) / pageSize;
            body.putObject("pagination")
                    .put("page", page)
                    .put("page_size", pageSize)
                    .put("total_count", found.total())
                    .put("total_pages", totalPages)
                    .put("has_next", page < totalPages)
                    .put("has_prev", page > 1);
            return Reply.ok(body, null);
        });
    }

    Future<Reply> get(ManageCall call) {
        long seq;
        try {
            seq = Long.parseLong(call.id());
        } catch (NumberFormatException e) {
            throw ManageException.badRequest("an audit event id is a positive integer");
        }
        return log.get(seq).map(found -> Reply.ok(ManageJson.audit(found.orElseThrow(
                () -> ManageException.notFound("audit event not found"))), call.id()));
    }

    /** Checks the database chain and this instance's JSONL file (which does not exist before the first entry). */
    Future<Reply> verify(ManageCall call) {
        Future<AuditVerification> fileCheck = log.verifyFile().recover(failure -> failure instanceof NoSuchFileException
                ? Future.succeededFuture(new AuditVerification(log.file().toString(), 0, null, null))
                : Future.failedFuture(failure));
        return log.verifyDatabase().compose(database -> fileCheck.map(file -> {
            ObjectNode body = Json.MAPPER.createObjectNode().put("intact", database.intact() && file.intact());
            body.set("database", verification(database));
            body.set("file", verification(file));
            Reply reply = Reply.ok(body, null);
            reply.details().put("intact", database.intact() && file.intact());
            return reply;
        }));
    }

    static ObjectNode verification(AuditVerification result) {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("source", result.source())
                .put("intact", result.intact())
                .put("entries", result.entries());
        if (!result.intact()) {
            json.put("broken_at", result.brokenAt()).put("problem", result.problem());
        }
        return json;
    }
}
