// Java Avro peer of accord-bench's Avro rows (Debian's libavro-java on OpenJDK; bench/run.sh compiles it
// with javac against /usr/share/java/avro.jar).
//
// Usage: java -cp ... AvroPeer SCHEMA.avsc RECORDS.bin CORRUPT.bin
//
// RECORDS.bin and CORRUPT.bin: a little-endian u32 record count, then per record a u32 length and its
// Avro binary encoding (accord-bench writes both once, from a fixed seed); read into memory at start-up.
// Commands on stdin, one a line, answered on stdout (the same protocol as bench/cpp/proto_peer.cc):
//   run PEER MIN_SECONDS   warm up (passes for MIN_SECONDS/4, at least one), then time whole passes until
//                          MIN_SECONDS have elapsed; prints `ok PEER passes=P seconds=S checksum=C`
//   reject PEER [N]        prints `reject PEER <0|1 …>` (1 = accepted) over the corrupted records (the
//                          first N only when given: GenericDatumReader.skip does not refuse a negative
//                          length, moves backwards and can spin for minutes, so java-skip leaves that one out)
//   quit
//
// Peers:
//   java-skip    GenericDatumReader.skip(schema, decoder) over a BinaryDecoder re-pointed at each record
//                (DecoderFactory.binaryDecoder(bytes, offset, length, reuse)), then decoder.isEnd()
//   java-decode  one GenericDatumReader<GenericRecord>; reader.read(reuse, decoder), the previous
//                record passed back as `reuse` (what a consumer loop does)
//   java-encode  one GenericDatumWriter<GenericRecord>; write(record, encoder) of records decoded before
//                timing, into one reused ByteArrayOutputStream through a reused BinaryEncoder, flushed
// Checksums (the folds accord-bench computes): FNV-1a over 64-bit words, h = (h ^ v) * 0x100000001b3 from
// 0xcbf29ce484222325, of: skip — each accepted record's length; decode — each record's `id` (field 0);
// encode — each output's size and last byte.
//
// JIT steady state: before printing `ready`, each operation runs passes until 5 consecutive pass times
// lie within 3% of their mean (at least 2 s of passes each, at most 15 s), so that C2 has compiled the
// hot paths; each `run` then warms up again for MIN_SECONDS/4 before timing.
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

public final class AvroPeer {
    static final long SEED = 0xcbf29ce484222325L;
    static final long PRIME = 0x100000001b3L;

    static long fold(long h, long v) { return (h ^ v) * PRIME; }

    static final class Records {
        byte[] storage;
        int[] starts;
        int[] lengths;
        int count() { return starts.length; }
    }

    static Records load(String path) throws IOException {
        byte[] data = Files.readAllBytes(Paths.get(path));
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int count = buffer.getInt(0);
        Records records = new Records();
        records.starts = new int[count];
        records.lengths = new int[count];
        int offset = 4;
        for (int i = 0; i < count; i++) {
            int length = buffer.getInt(offset);
            offset += 4;
            records.starts[i] = offset;
            records.lengths[i] = length;
            offset += length;
        }
        records.storage = data;
        return records;
    }

    final Schema schema;
    final Records records;
    final Records corrupt;
    final GenericDatumReader<GenericRecord> reader;
    final GenericDatumWriter<GenericRecord> writer;
    final List<GenericRecord> decoded = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    BinaryDecoder decoder;
    BinaryEncoder encoder;
    GenericRecord reuse;

    AvroPeer(Schema schema, Records records, Records corrupt) throws IOException {
        this.schema = schema;
        this.records = records;
        this.corrupt = corrupt;
        reader = new GenericDatumReader<>(schema);
        writer = new GenericDatumWriter<>(schema);
        for (int i = 0; i < records.count(); i++) {
            decoder = DecoderFactory.get().binaryDecoder(records.storage, records.starts[i], records.lengths[i], decoder);
            GenericRecord record = reader.read(null, decoder);
            if (!decoder.isEnd()) throw new IOException("record " + i + " has trailing bytes");
            decoded.add(record);
            decoder = null;
            // The writer must give the record back: the same length, read back to an equal record (the
            // bytes themselves may differ only in the order of map entries, which a HashMap keeps its way).
            out.reset();
            encoder = EncoderFactory.get().binaryEncoder(out, encoder);
            writer.write(record, encoder);
            encoder.flush();
            byte[] again = out.toByteArray();
            if (again.length != records.lengths[i]) throw new IOException("record " + i + " re-encodes to another length");
            GenericRecord back = reader.read(null, DecoderFactory.get().binaryDecoder(again, null));
            if (!back.equals(record)) throw new IOException("record " + i + " re-encodes to another record");
        }
    }

    /** One pass; the fold, or 0 when a record failed. With `verdicts`, records every record's outcome. */
    long pass(String peer, Records in, List<Integer> verdicts) throws IOException {
        long h = SEED;
        int n = in.count();
        switch (peer) {
            case "java-skip":
                for (int i = 0; i < n; i++) {
                    boolean ok;
                    try {
                        if (verdicts != null) decoder = null;
                        decoder = DecoderFactory.get().binaryDecoder(in.storage, in.starts[i], in.lengths[i], decoder);
                        GenericDatumReader.skip(schema, decoder);
                        ok = decoder.isEnd();
                    } catch (IOException | RuntimeException e) {
                        ok = false;
                    }
                    if (verdicts != null) { verdicts.add(ok ? 1 : 0); continue; }
                    if (!ok) return 0;
                    h = fold(h, in.lengths[i]);
                }
                return h;
            case "java-decode":
                for (int i = 0; i < n; i++) {
                    boolean ok;
                    long id = 0;
                    try {
                        if (verdicts != null) decoder = null;
                        decoder = DecoderFactory.get().binaryDecoder(in.storage, in.starts[i], in.lengths[i], decoder);
                        GenericRecord record = reader.read(reuse, decoder);
                        ok = decoder.isEnd();
                        if (verdicts == null) reuse = record;
                        id = (Long) record.get(0);
                    } catch (IOException | RuntimeException e) {
                        ok = false;
                    }
                    if (verdicts != null) { verdicts.add(ok ? 1 : 0); continue; }
                    if (!ok) return 0;
                    h = fold(h, id);
                }
                return h;
            case "java-encode":
                for (GenericRecord record : decoded) {
                    out.reset();
                    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
                    writer.write(record, encoder);
                    encoder.flush();
                    int size = out.size();
                    // The last byte without copying the stream's buffer: the size and the byte folded.
                    h = fold(fold(h, size), lastByte() & 0xff);
                }
                return h;
            default:
                throw new IllegalArgumentException("unknown peer " + peer);
        }
    }

    private final LastByteStream tail = new LastByteStream();

    private int lastByte() {
        try {
            out.writeTo(tail);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return tail.last;
    }

    /** Keeps only the last byte written to it (ByteArrayOutputStream.writeTo hands over its buffer without copying it). */
    static final class LastByteStream extends java.io.OutputStream {
        int last;
        @Override public void write(int b) { last = b; }
        @Override public void write(byte[] b, int off, int len) { if (len > 0) last = b[off + len - 1]; }
    }

    void steady(String peer) throws IOException {
        long begin = System.nanoTime();
        double[] times = new double[5];
        int passes = 0;
        while (true) {
            long start = System.nanoTime();
            if (pass(peer, records, null) == 0) throw new IOException(peer + " failed during warm-up");
            long end = System.nanoTime();
            times[passes % times.length] = end - start;
            passes++;
            double elapsed = (end - begin) / 1e9;
            if (passes >= times.length && elapsed >= 2) {
                double mean = 0;
                for (double t : times) mean += t;
                mean /= times.length;
                boolean stable = true;
                for (double t : times) stable &= Math.abs(t - mean) <= 0.03 * mean;
                if (stable || elapsed >= 15) {
                    System.err.printf("AvroPeer: %s warm after %d passes, %.1f s%s%n", peer, passes, elapsed, stable ? "" : " (not stable within 3%)");
                    return;
                }
            }
        }
    }

    void run(String peer, double minSeconds) throws IOException {
        long warm = System.nanoTime();
        do {
            if (pass(peer, records, null) == 0) throw new IOException(peer + " failed during warm-up");
        } while ((System.nanoTime() - warm) / 1e9 < minSeconds / 4);
        long checksum = 0;
        long passes = 0;
        long start = System.nanoTime();
        double elapsed;
        do {
            long h = pass(peer, records, null);
            if (h == 0) throw new IOException(peer + " failed");
            if (passes > 0 && h != checksum) throw new IOException(peer + " gives different checksums in two passes");
            checksum = h;
            passes++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < minSeconds);
        System.out.printf("ok %s passes=%d seconds=%.6f checksum=%016x%n", peer, passes, elapsed, checksum);
        System.out.flush();
    }

    void reject(String peer, int limit) throws IOException {
        List<Integer> verdicts = new ArrayList<>();
        Records in = corrupt;
        if (limit < corrupt.count()) {
            in = new Records();
            in.storage = corrupt.storage;
            in.starts = java.util.Arrays.copyOf(corrupt.starts, limit);
            in.lengths = java.util.Arrays.copyOf(corrupt.lengths, limit);
        }
        pass(peer, in, verdicts);
        StringBuilder line = new StringBuilder("reject " + peer);
        for (int v : verdicts) line.append(' ').append(v);
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: AvroPeer SCHEMA.avsc RECORDS.bin CORRUPT.bin");
        Schema schema = new Schema.Parser().parse(new File(args[0]));
        AvroPeer peer = new AvroPeer(schema, load(args[1]), load(args[2]));
        // AVRO_PEER_NO_WARMUP=1 skips the steady-state warm-up (for trying the peer by hand only).
        if (System.getenv("AVRO_PEER_NO_WARMUP") == null) for (String name : new String[] {"java-skip", "java-decode", "java-encode"}) peer.steady(name);
        System.out.println("ready java=" + System.getProperty("java.version") + " avro=" + Schema.class.getPackage().getImplementationVersion());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "run": peer.run(words[1], words.length > 2 ? Double.parseDouble(words[2]) : 0.25); break;
                case "reject": peer.reject(words[1], words.length > 2 ? Integer.parseInt(words[2]) : Integer.MAX_VALUE); break;
                case "quit": return;
                default: throw new IllegalArgumentException("unknown command " + line);
            }
        }
    }
}
