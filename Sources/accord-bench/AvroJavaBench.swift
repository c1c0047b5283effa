import AvroCodec
import Foundation

/// The Avro rows against Java Avro (libavro-java on OpenJDK, bench/java/AvroPeer.java, its own JVM for
/// the whole run): `avro-validate` (ours `validate` vs `GenericDatumReader.skip`), `avro-decode` (ours
/// `decode` → `AvroValue` vs `GenericDatumReader.read` with a reused record), `avro-encode` (ours
/// `encode(_:into:)` into a reused array vs `GenericDatumWriter.write` through a reused `BinaryEncoder`).
/// The JVM reaches JIT steady state before the first round (see AvroPeer.java).
final class AvroJavaBench {
    let peer: LinePeer
    private(set) var checks: [String] = []

    /// Starts the JVM on the records file (`recordsPath`, already written) and checks that it rejects the
    /// corrupted records ours rejects.
    init(java: String, classpath: String, schemaPath: String, recordsPath: String, records: RecordSet,
         codec: AvroDatumCodec) throws(BenchFailure) {
        let (corrupt, names) = Self.corrupted(Array(records.record(Self.nullNoteRecord(records, codec: codec))))
        let corruptPath = NSTemporaryDirectory() + "accord-bench-avro-corrupt-\(getpid()).bin"
        try FastavroPeer.writeRecords(corrupt, to: corruptPath)
        defer { try? FileManager.default.removeItem(atPath: corruptPath) }
        // A fixed heap (no resizing while timing); the default collector.
        peer = try LinePeer(name: "Java", executable: java,
                            arguments: ["-Xms1g", "-Xmx1g", "-cp", classpath, "AvroPeer", schemaPath, recordsPath, corruptPath])
        // The last corruption (a negative length) only for java-decode: GenericDatumReader.skip does not
        // refuse it, steps backwards and spins (bench/java/AvroPeer.java); a finding, reported.
        for (peerName, operation, limit) in [("java-skip", "validate", corrupt.count - 1), ("java-decode", "decode", corrupt.count)] {
            let theirs = try peer.verdicts(peerName, limit: limit)
            let ours = (0..<limit).map { index -> Bool in
                let bytes = Array(corrupt.record(index))
                return operation == "validate" ? (try? codec.validate(bytes)) != nil : (try? codec.decode(bytes)) != nil
            }
            guard theirs.count == ours.count else { throw BenchFailure("\(peerName): \(theirs.count) verdicts") }
            for index in ours.indices where ours[index] != theirs[index] {
                throw BenchFailure("corrupted Avro record \(index) (\(names[index])): ours \(ours[index] ? "accepts" : "rejects") it "
                    + "(\(operation)), \(peerName) \(theirs[index] ? "accepts" : "rejects") it")
            }
            checks.append("\(peerName) vs ours (\(operation)): the same verdict on \(ours.count) corrupted/control records (\(names.prefix(limit).joined(separator: "; ")))"
                + (limit < corrupt.count ? "; not given: \(names[limit]) (GenericDatumReader.skip does not refuse a negative length: it steps backwards and spun in skipArray until killed here)" : ""))
        }
    }

    /// A record whose `note` (the union before the 32-byte checksum) is null, so the corruptions below
    /// know where its branch index is.
    static func nullNoteRecord(_ records: RecordSet, codec: AvroDatumCodec) -> Int {
        for index in 0..<records.count {
            if case .record(let fields)? = try? codec.decode(Array(records.record(index))),
               fields.count == 12, case .union(branch: 0, _) = fields[10] {
                return index
            }
        }
        return 0
    }

    /// Corruptions of a valid record `r` (its note null): where each byte is follows from the schema
    /// (bench/record.avsc): id first, then customer's length; at the end the null note's branch index
    /// (1 byte), checksum's length (1 byte, 64 = 32 zigzag) and its 32 bytes.
    static func corrupted(_ r: [UInt8]) -> (RecordSet, [String]) {
        var set = RecordSet()
        var names: [String] = []
        func add(_ name: String, _ bytes: [UInt8]) {
            set.append(bytes)
            names.append(name)
        }
        var idLength = 0
        while idLength < r.count && r[idLength] & 0x80 != 0 { idLength += 1 }
        idLength += 1
        var customerLengthEnd = idLength
        while customerLengthEnd < r.count && r[customerLengthEnd] & 0x80 != 0 { customerLengthEnd += 1 }
        customerLengthEnd += 1
        let note = r.count - 34
        add("truncated (last byte cut)", Array(r.dropLast()))
        add("a trailing byte", r + [0x00])
        add("11-byte varint for id", [UInt8](repeating: 0xFF, count: 10) + [0x01] + r[idLength...])
        add("customer's length past the end", Array(r[..<idLength]) + [0xFE, 0x0F] + r[customerLengthEnd...])
        var branch = r
        branch[note] = 0x04
        add("note's union branch 2 of 2", branch)
        var negativeBranch = r
        negativeBranch[note] = 0x01
        add("note's union branch -1", negativeBranch)
        var checksumLength = r
        checksumLength[note + 1] = 0x42
        add("checksum's length one past the end", checksumLength)
        var control = r
        control[note + 1] = 0x3E
        add("checksum's length one short (a byte left over)", control)
        add("control: the record itself (accepted)", r)
        // Last: java-skip is not given this one (see init).
        add("customer's length negative", Array(r[..<idLength]) + [0x01] + r[customerLengthEnd...])
        return (set, names)
    }

    /// Ours and java-avro, row by row. `values` are the records decoded before timing (the encode input).
    func units(codec: AvroDatumCodec, records: RecordSet, values: [AvroValue], minSeconds: Double) -> [BenchUnit] {
        let count = records.count
        let size = Double(records.storage.count) / Double(max(count, 1))
        let peer = peer
        func theirs(_ name: String) -> () throws(BenchFailure) -> Measured {
            { () throws(BenchFailure) -> Measured in
                let result = try peer.run(name, records: count, minSeconds: minSeconds)
                return Measured(rate: result.rate, checksum: result.checksum)
            }
        }
        func ours(_ pass: @escaping () -> UInt64?) -> () throws(BenchFailure) -> Measured {
            { () throws(BenchFailure) -> Measured in try timedFigure(records: count, minSeconds: minSeconds, pass) }
        }
        let validate = ours {
            records.storage.withUnsafeBytes { buffer -> UInt64? in
                var h = foldSeed
                for span in records.spans {
                    let slice = UnsafeRawBufferPointer(rebasing: buffer[span.start..<(span.start + span.length)])
                    guard (try? codec.validate(slice)) != nil else { return nil }
                    h = fold(h, UInt64(span.length))
                }
                return h
            }
        }
        let decode = ours {
            records.storage.withUnsafeBytes { buffer -> UInt64? in
                var h = foldSeed
                for span in records.spans {
                    let slice = UnsafeRawBufferPointer(rebasing: buffer[span.start..<(span.start + span.length)])
                    guard case .record(let fields)? = try? codec.decode(slice), case .long(let id)? = fields.first else { return nil }
                    h = fold(h, UInt64(bitPattern: id))
                }
                return h
            }
        }
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        let encode = ours {
            var h = foldSeed
            for value in values {
                output.removeAll(keepingCapacity: true)
                guard (try? codec.encode(value, into: &output)) != nil, let last = output.last else { return nil }
                h = fold(fold(h, UInt64(output.count)), UInt64(last))
            }
            return h
        }
        return [
            BenchUnit(row: "avro-validate", peer: "java-avro", reference: false, bytesPerRecord: size, ours: validate, theirs: theirs("java-skip")),
            BenchUnit(row: "avro-decode", peer: "java-avro", reference: false, bytesPerRecord: size, ours: decode, theirs: theirs("java-decode")),
            BenchUnit(row: "avro-encode", peer: "java-avro", reference: false, bytesPerRecord: size, ours: encode, theirs: theirs("java-encode")),
        ]
    }
}
