import AvroCodec
import Testing

/// Malformed and malicious binary input: every case must be rejected with a located error, never crash.
@Suite struct HostileBinaryInputTests {
    private func codec(_ text: String, limits: AvroLimits = .default) throws -> AvroDatumCodec {
        AvroDatumCodec(schema: try AvroSchema(parsing: text), limits: limits)
    }

    /// Rejects through both validate and decode with identical errors, and returns the error.
    private func rejection(_ codec: AvroDatumCodec, _ bytes: [UInt8]) -> AvroError? {
        var validateError: AvroError?
        var decodeError: AvroError?
        do { try codec.validate(bytes) } catch { validateError = error }
        do { _ = try codec.decode(bytes) } catch { decodeError = error }
        #expect(validateError == decodeError)
        #expect(validateError?.offset != nil)
        #expect(validateError?.dataPath != nil)
        return validateError
    }

    static let complexSchema = #"""
        {"type":"record","name":"R","fields":[
          {"name":"id","type":"long"},
          {"name":"name","type":"string"},
          {"name":"flag","type":"boolean"},
          {"name":"score","type":"float"},
          {"name":"tags","type":{"type":"array","items":"string"}},
          {"name":"counts","type":{"type":"map","values":"int"}},
          {"name":"kind","type":{"type":"enum","name":"K","symbols":["X","Y","Z"]}},
          {"name":"hash","type":{"type":"fixed","name":"H","size":4}},
          {"name":"maybe","type":["null","double","R"]},
          {"name":"blob","type":"bytes"}
        ]}
        """#

    static let complexValue: AvroValue = .record([
        .long(-300),
        .string("naïve"),
        .boolean(true),
        .float(1.5),
        .array([.string("x"), .string("yz")]),
        .map([AvroMapEntry("k", .int(-7)), AvroMapEntry("kk", .int(1 << 20))]),
        .enumeration(index: 2, symbol: "Z"),
        .fixed([9, 8, 7, 6]),
        .union(
            branch: 2,
            value: .record([
                .long(1), .string(""), .boolean(false), .float(0), .array([]), .map([]),
                .enumeration(index: 0, symbol: "X"), .fixed([0, 0, 0, 0]), .union(branch: 1, value: .double(2)),
                .bytes([]),
            ])
        ),
        .bytes([1, 2, 3]),
    ])

    @Test func everyTruncationIsRejected() throws {
        let c = try codec(Self.complexSchema)
        let bytes = try c.encode(Self.complexValue)
        try c.validate(bytes)
        for cut in 0..<bytes.count {
            let error = try #require(rejection(c, Array(bytes[..<cut])), "prefix of \(cut) bytes")
            #expect(error.code == .truncatedData || error.code == .invalidData, "prefix of \(cut) bytes")
            #expect((error.offset ?? -1) <= cut)
        }
    }

    @Test func trailingBytesAreRejected() throws {
        let c = try codec(Self.complexSchema)
        let bytes = try c.encode(Self.complexValue)
        let error = try #require(rejection(c, bytes + [0x00]))
        #expect(error.code == .invalidData)
        #expect(error.offset == bytes.count)
        #expect(error.dataPath == "")
    }

    @Test func hugeAndNegativeLengths() throws {
        let s = try codec(#""string""#)
        // 2^62: over maxLength.
        let huge = try #require(rejection(s, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))
        #expect(huge.code == .limitExceeded)
        #expect(huge.offset == 0)
        // 1000 bytes announced, 3 present.
        let short = try #require(rejection(s, [0xD0, 0x0F, 0x61, 0x62, 0x63]))
        #expect(short.code == .truncatedData)
        // -1 and Int64.min.
        let negative = try #require(rejection(s, [0x01]))
        #expect(negative.code == .invalidData)
        let minimum = try #require(rejection(s, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]))
        #expect(minimum.code == .invalidData)
        let b = try codec(#""bytes""#, limits: AvroLimits(maxLength: 4))
        let overLimit = try #require(rejection(b, [0x0A, 1, 2, 3, 4, 5]))
        #expect(overLimit.code == .limitExceeded)
        let fixed = try codec(#"{"type":"fixed","name":"F","size":16}"#, limits: AvroLimits(maxLength: 8))
        #expect(rejection(fixed, [UInt8](repeating: 0, count: 16))?.code == .limitExceeded)
    }

    @Test func overlongVarints() throws {
        let l = try codec(#""long""#)
        let eleven = try #require(
            rejection(l, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        )
        #expect(eleven.code == .invalidData)
        #expect(eleven.offset == 0)
        // Ten bytes whose last byte sets bits beyond 64.
        let tooWide = try #require(rejection(l, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]))
        #expect(tooWide.code == .invalidData)
        let i = try codec(#""int""#)
        #expect(rejection(i, [0x80, 0x80, 0x80, 0x80, 0x80, 0x01])?.code == .invalidData)
        #expect(rejection(i, [0xFF, 0xFF, 0xFF, 0xFF, 0x1F])?.code == .invalidData)
        // An enum index is an int: six bytes are too many.
        let e = try codec(#"{"type":"enum","name":"E","symbols":["A"]}"#)
        #expect(rejection(e, [0x80, 0x80, 0x80, 0x80, 0x80, 0x00])?.code == .invalidData)
    }

    @Test func invalidUTF8() throws {
        let s = try codec(#""string""#)
        let cases: [[UInt8]] = [
            [0x02, 0xFF],  // never valid
            [0x04, 0xC0, 0x80],  // overlong NUL
            [0x06, 0xED, 0xA0, 0x80],  // UTF-16 surrogate
            [0x08, 0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0x04, 0xE2, 0x9C],  // cut sequence
            [0x12, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x80],  // stray continuation after ASCII
        ]
        for bytes in cases {
            let error = try #require(rejection(s, bytes), "\(bytes)")
            #expect(error.code == .invalidData, "\(bytes)")
            #expect(error.offset == 0)
        }
    }

    @Test func invalidBooleanEnumAndUnionIndexes() throws {
        let b = try codec(#""boolean""#)
        #expect(rejection(b, [0x02])?.code == .invalidData)
        let e = try codec(#"{"type":"enum","name":"E","symbols":["A","B","C"]}"#)
        #expect(rejection(e, [0x06])?.code == .invalidData)
        #expect(rejection(e, [0x01])?.code == .invalidData)
        let u = try codec(#"{"type":"record","name":"R","fields":[{"name":"u","type":["null","int"]}]}"#)
        let high = try #require(rejection(u, [0x04]))
        #expect(high.code == .invalidData)
        #expect(high.dataPath == ".u")
        #expect(rejection(u, [0x01])?.code == .invalidData)
        #expect(rejection(u, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])?.code == .invalidData)
    }

    @Test func recursionBeyondMaxDepth() throws {
        let c = try codec(BinaryRoundTripTestsSchemas.linkedList, limits: AvroLimits(maxDepth: 50))
        // value 0, branch 1, repeated: a list far deeper than 50.
        var bytes: [UInt8] = []
        for _ in 0..<10_000 { bytes += [0x00, 0x02] }
        bytes += [0x00, 0x00]
        let error = try #require(rejection(c, bytes))
        #expect(error.code == .limitExceeded)
        #expect(error.offset == 50)
        #expect(error.dataPath?.hasPrefix(".next<Node>.next<Node>") == true)
        // With default limits, a million levels stop at 128 without exhausting the stack.
        let defaults = try codec(BinaryRoundTripTestsSchemas.linkedList)
        let deeper = [UInt8](repeating: 0x02, count: 1_000_000)
        #expect(rejection(defaults, deeper)?.code == .limitExceeded)
    }

    @Test func depthIsCappedAtTheCeilingWithoutExhaustingTheStack() throws {
        // maxDepth is capped at 512: a list of 250 nodes (500 levels) works, 300 nodes do not.
        let c = try codec(BinaryRoundTripTestsSchemas.linkedList, limits: AvroLimits(maxDepth: 1_000_000))
        let fits = [UInt8](repeating: 0x02, count: 499) + [0x00]
        let value = try c.decode(fits)
        #expect(try c.encode(value) == fits)
        let tooDeep = [UInt8](repeating: 0x02, count: 599) + [0x00]
        #expect(rejection(c, tooDeep)?.code == .limitExceeded)
    }

    @Test func hugeCountsOfZeroByteItemsStopAtLimits() throws {
        let nulls = try codec(#"{"type":"array","items":"null"}"#)
        // Count 2^60 then end: must fail on the count, not loop.
        let huge = try #require(rejection(nulls, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x00]))
        #expect(huge.code == .limitExceeded)
        #expect(huge.offset == 0)
        // Count -2^60 with byte size 0.
        let negative = try #require(
            rejection(nulls, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00, 0x00])
        )
        #expect(negative.code == .limitExceeded)
        // Int64.min as a block count.
        let minimum = try #require(
            rejection(nulls, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00])
        )
        #expect(minimum.code == .limitExceeded)
        // Many blocks that are each under the collection limit, together over it.
        let small = try codec(#"{"type":"array","items":"null"}"#, limits: AvroLimits(maxCollectionCount: 100))
        let blocks = [UInt8](repeating: 0x64, count: 3) + [0x00]  // three blocks of 50
        let summed = try #require(rejection(small, blocks))
        #expect(summed.code == .limitExceeded)
        #expect(summed.offset == 2)
        // Nested arrays of nulls: each inner array is small, the total goes over maxValues.
        let nested = try codec(
            #"{"type":"array","items":{"type":"array","items":"null"}}"#,
            limits: AvroLimits(maxValues: 1_000)
        )
        let inner: [UInt8] = [0xC8, 0x01, 0x00]  // 100 nulls
        let total = try #require(rejection(nested, [0x28] + Array([[UInt8]](repeating: inner, count: 20).joined()) + [0x00]))
        #expect(total.code == .limitExceeded)
        #expect(total.dataPath == "[9]")
    }

    @Test func zeroByteRecordsCannotMultiplyForever() throws {
        // Each level has ten fields of the level below; the innermost is null: 10^6 values from zero bytes.
        var schema = #"{"type":"record","name":"L0","fields":[{"name":"n","type":"null"}]}"#
        for level in 1...6 {
            let fields = (0..<10).map { i in
                i == 0 ? #"{"name":"f0","type":\#(schema)}"# : #"{"name":"f\#(i)","type":"L\#(level - 1)"}"#
            }
            schema = #"{"type":"record","name":"L\#(level)","fields":[\#(fields.joined(separator: ","))]}"#
        }
        let c = try codec(schema, limits: AvroLimits(maxValues: 10_000))
        let error = try #require(rejection(c, []))
        #expect(error.code == .limitExceeded)
        #expect(error.offset == 0)
    }
}
