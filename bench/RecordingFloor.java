import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The least CPU a call's recording can cost on this machine, whatever the code that writes it: the kernel's part
 * (creating the files a call adds, copying its bytes into the page cache) and the JSON encoding of those bytes
 * (Jackson writing the very records the run wrote, already built, without redaction or anything else).
 *
 * <p>Reads what bench/tracing.sh's recorders wrote and splits it by mode (plain or streamed), as the http
 * recorder's request lines tell each call's mode and session: calls are the trace files (one per call); for each
 * recorder, the bytes and files it wrote per call of each mode. Measures, on this thread:
 * <ul>
 * <li>creating a file (open with create, a one-byte write, close) among the trace files, and appending a KB in
 *     64 KB writes, as system CPU time (the files are left there, named {@code file-cost-*}: deleting many files
 *     slows creating them for minutes);</li>
 * <li>encoding each recorder's records, as CPU time per byte, best of five rounds after a warm-up.</li>
 * </ul>
 * Prints what it measured, one line per recorder and mode, and per mode a line {@code floor_us_per_call MODE …}.
 * Usage: java -cp target/gatehouse.jar bench/RecordingFloor.java RECORD_DIR
 */
public class RecordingFloor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SAMPLE_BYTES = 16L << 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\"([^\"]+)\"");
    private static final Pattern SESSION_ID = Pattern.compile("\"session_id\":\"([^\"]+)\"");
    private static final Pattern TRACE_NAME = Pattern.compile("^trace-[^-]+-(.+)\\.json$");
    private static final Pattern SESSION_NAME = Pattern.compile("^session_(.+)\\.jsonl?$");
    private static final List<String> MODES = List.of("plain", "stream");

    /** A recorder's folder, whether it writes a file per record, how it lays records out, how it names a file. */
    record Recorder(String name, String folder, boolean oneFilePerRecord, ObjectWriter writer, Pattern fileKey) {
    }

    /** What one recorder wrote for the calls of one mode. */
    static final class Written {
        long files;
        long bytes;
    }

    public static void main(String[] args) throws Exception {
        Path records = Path.of(args[0]);
        List<Recorder> recorders = List.of(
                new Recorder("trace", "traces", true, JSON.writerWithDefaultPrettyPrinter(), TRACE_NAME),
                new Recorder("http_recorder", "http_recordings", false, JSON.writer(), null),
                new Recorder("event_recorder", "event_logs", false, JSON.writer(), SESSION_NAME),
                new Recorder("message_logger", "message_logs", false, JSON.writer(), null));
        Map<String, String> modeByCall = new HashMap<>();
        Map<String, String> modeBySession = new HashMap<>();
        readModes(files(records.resolve("http_recordings")), modeByCall, modeBySession);
        List<Map<String, Written>> writtenByRecorder = new ArrayList<>();
        List<Double> encodeNanosPerByte = new ArrayList<>();
        for (Recorder recorder : recorders) {
            List<Path> files = files(records.resolve(recorder.folder()));
            writtenByRecorder.add(written(files, recorder, modeByCall, modeBySession));
            encodeNanosPerByte.add(encodeNanosPerByte(files, recorder));
        }
        Map<String, Written> traces = writtenByRecorder.getFirst();
        // Files are created among the trace files, since what creating one costs grows with the folder. Their names
        // match no recorder's, and they are made after everything above was counted.
        double[] kernel = fileCosts(records.resolve("traces"));
        System.out.printf("create_us=%.1f append_us_per_kb=%.2f%n", kernel[0], kernel[1]);
        Map<String, Double> floors = new LinkedHashMap<>();
        for (int r = 0; r < recorders.size(); r++) {
            Recorder recorder = recorders.get(r);
            for (String mode : MODES) {
                long calls = traces.get(mode).files;
                if (calls == 0) {
                    continue;
                }
                Written w = writtenByRecorder.get(r).get(mode);
                double filesPerCall = recorder.fileKey() == null ? 0 : (double) w.files / calls;
                double kbPerCall = w.bytes / 1024.0 / calls;
                double kernelMicros = filesPerCall * kernel[0] + kbPerCall * kernel[1];
                double encodeMicros = encodeNanosPerByte.get(r) * w.bytes / calls / 1e3;
                floors.merge(mode, kernelMicros + encodeMicros, Double::sum);
                System.out.printf("%s %s files_per_call=%.2f kb_per_call=%.1f kernel_us=%.1f encode_us=%.1f%n",
                        recorder.name(), mode, filesPerCall, kbPerCall, kernelMicros, encodeMicros);
            }
        }
        floors.forEach((mode, floor) -> System.out.printf("floor_us_per_call %s %.1f calls=%d%n", mode, floor,
                traces.get(mode).files));
    }

    /** Each call's mode and each session's, from the http recorder's request lines. */
    private static void readModes(List<Path> recordings, Map<String, String> modeByCall, Map<String, String> modeBySession)
            throws IOException {
        for (Path file : recordings) {
            try (BufferedReader lines = Files.newBufferedReader(file)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (!line.startsWith("{\"type\":\"request\"")) {
                        continue;
                    }
                    String mode = line.contains("\"is_streaming\":true") ? "stream" : "plain";
                    Matcher call = REQUEST_ID.matcher(line);
                    if (call.find()) {
                        modeByCall.put(call.group(1), mode);
                    }
                    Matcher session = SESSION_ID.matcher(line);
                    if (session.find()) {
                        modeBySession.put(session.group(1), mode);
                    }
                }
            }
        }
    }

    /** Files and bytes per mode: a file's by its name (trace: the call, event log: the session), else line by line. */
    private static Map<String, Written> written(List<Path> files, Recorder recorder, Map<String, String> modeByCall,
                                                Map<String, String> modeBySession) throws IOException {
        Map<String, Written> written = new HashMap<>();
        MODES.forEach(mode -> written.put(mode, new Written()));
        for (Path file : files) {
            if (recorder.fileKey() != null) {
                Matcher name = recorder.fileKey().matcher(file.getFileName().toString());
                String mode = !name.matches() ? null
                        : recorder.oneFilePerRecord() ? modeByCall.get(name.group(1)) : modeBySession.get(name.group(1));
                if (mode != null) {
                    written.get(mode).files++;
                    written.get(mode).bytes += Files.size(file);
                }
                continue;
            }
            try (BufferedReader lines = Files.newBufferedReader(file)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    Matcher call = REQUEST_ID.matcher(line);
                    String mode = call.find() ? modeByCall.get(call.group(1)) : null;
                    if (mode != null) {
                        written.get(mode).bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
                    }
                }
            }
        }
        return written;
    }
    /** A recorder's files, without those this program measured file costs with. */
    private static List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(file -> Files.isRegularFile(file) && !file.getFileName().toString().startsWith("file-cost-"))
                    .sorted().toList();
        }
    }

    /** System CPU µs to create a file, and per KB appended. */
    private static double[] fileCosts(Path folder) throws IOException {
        int files = 20_000;
        ByteBuffer oneByte = ByteBuffer.allocateDirect(1);
        long before = systemNanos();
        for (int i = 0; i < files; i++) {
            try (FileChannel channel = FileChannel.open(folder.resolve("file-cost-" + System.nanoTime() + "-" + i),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.write(oneByte.clear());
            }
        }
        double createMicros = (systemNanos() - before) / 1e3 / files;
        ByteBuffer block = ByteBuffer.allocateDirect(64 * 1024);
        int blocks = 1024;
        before = systemNanos();
        try (FileChannel channel = FileChannel.open(folder.resolve("file-cost-append-" + System.nanoTime()),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < blocks; i++) {
                channel.write(block.clear());
            }
        }
        return new double[]{createMicros, (systemNanos() - before) / 1e3 / (blocks * 64.0)};
    }

    /** CPU ns per byte for Jackson to write a sample of the recorder's own records back, as the recorder lays them out. */
    private static double encodeNanosPerByte(List<Path> files, Recorder recorder) throws IOException {
        List<JsonNode> sample = new ArrayList<>();
        long sampleBytes = 0;
        for (Path file : files) {
            if (sampleBytes >= SAMPLE_BYTES) {
                break;
            }
            if (recorder.oneFilePerRecord()) {
                sample.add(JSON.readTree(file.toFile()));
                sampleBytes += Files.size(file);
                continue;
            }
            try (BufferedReader lines = Files.newBufferedReader(file)) {
                for (String line; sampleBytes < SAMPLE_BYTES && (line = lines.readLine()) != null; ) {
                    if (!line.isBlank()) {
                        sample.add(JSON.readTree(line));
                        sampleBytes += line.length() + 1;
                    }
                }
            }
        }
        if (sample.isEmpty()) {
            return 0;
        }
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            long written = 0;
            long before = THREADS.getCurrentThreadCpuTime();
            for (JsonNode record : sample) {
                written += recorder.writer().writeValueAsBytes(record).length + 1;
            }
            double nanosPerByte = (double) (THREADS.getCurrentThreadCpuTime() - before) / written;
            if (round >= 3) {
                best = Math.min(best, nanosPerByte);
            }
        }
        return best;
    }

    private static long systemNanos() {
        return THREADS.getCurrentThreadCpuTime() - THREADS.getCurrentThreadUserTime();
    }
}
