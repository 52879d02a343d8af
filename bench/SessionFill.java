import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts N distinct conversations through a gateway, each a new session: a system prompt shared by all (one
 * agent) and a user message unique to each. Used by bench/sessions-memory.sh to measure what live sessions
 * cost. Usage: java bench/SessionFill.java URL N [CONCURRENCY]
 */
public class SessionFill {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore permits = new Semaphore(concurrency);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            permits.acquire();
            String body = """
                    {"model":"gpt-4o-mini","max_tokens":64,"messages":[
                    {"role":"system","content":"You are a concise assistant for the quarterly reporting team."},
                    {"role":"user","content":"Conversation %d: summarise the report for region %d in three bullets."}]}
                    """.formatted(i, i % 97);
            HttpRequest request = HttpRequest.newBuilder(uri).header("content-type", "application/json")
                    .header("authorization", "Bearer bench-client-key")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() == 200) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                permits.release();
            });
        }
        permits.acquire(concurrency);
        System.out.println("ok=" + ok.get() + " failed=" + failed.get());
    }
}
