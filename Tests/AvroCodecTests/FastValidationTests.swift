@testable import AvroCodec
import Testing

/// The fast validation walk must accept exactly what the full validator accepts (the full validator
/// reports the errors), under every limit: nested records are inlined and their depth and value counts
/// checked in bulk, so the limits are swept across the boundaries of each datum.
@Suite struct FastValidationTests {
    static let nestedSchema = #"""
        {"type":"record","name":"Outer","fields":[
          {"name":"id","type":"int"},
          {"name":"mid","type":{"type":"record","name":"Mid","fields":[
            {"name":"inner","type":{"type":"record","name":"Inner","fields":[
              {"name":"s","type":"string"},
              {"name":"xs","type":{"type":"array","items":"long"}}
            ]}},
            {"name":"m","type":{"type":"map","values":"Inner"}},
            {"name":"u","type":["null","Inner","string"]}
          ]}},
          {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
          {"name":"f","type":{"type":"fixed","name":"F","size":2}},
          {"name":"next","type":["null","Outer"]},
          {"name":"nulls","type":{"type":"array","items":"null"}},
          {"name":"flags","type":{"type":"map","values":"boolean"}},
          {"name":"tags","type":{"type":"array","items":"string"}}
        ]}
        """#

    static let nestedValue: AvroValue = {
        let inner = AvroValue.record([.string("hé"), .array([.long(1), .long(-1000)])])
        let mid = AvroValue.record([inner, .map([AvroMapEntry("k", inner)]), .union(branch: 1, value: inner)])
        let leaf = AvroValue.record([
            .int(1), mid, .enumeration(index: 1, symbol: "B"), .fixed([1, 2]), .union(branch: 0, value: .null),
            .array([.null, .null]), .map([AvroMapEntry("t", .boolean(true))]), .array([.string("a")]),
        ])
        return .record([
            .int(-5), mid, .enumeration(index: 0, symbol: "A"), .fixed([3, 4]), .union(branch: 1, value: leaf),
            .array([]), .map([]), .array([.string("x"), .string("ÿz")]),
        ])
    }()

    static let listSchema = #"""
        {"type":"record","name":"Node","fields":[
          {"name":"v","type":"double"},
          {"name":"next","type":["null","Node"]}
        ]}
        """#

    static let listValue: AvroValue = {
        let last = AvroValue.record([.double(3), .union(branch: 0, value: .null)])
        let middle = AvroValue.record([.double(2), .union(branch: 1, value: last)])
        return .record([.double(1), .union(branch: 1, value: middle)])
    }()

    static let cases: [(schema: String, value: AvroValue)] = [
        (nestedSchema, nestedValue),
        (listSchema, listValue),
        (HostileBinaryInputTests.complexSchema, HostileBinaryInputTests.complexValue),
        (#"{"type":"array","items":"null"}"#, .array([.null, .null, .null])),
        (#"{"type":"map","values":{"type":"array","items":"float"}}"#, .map([AvroMapEntry("a", .array([.float(1)]))])),
        (#"["null","string","long"]"#, .union(branch: 2, value: .long(1 << 40))),
        (flatSchema, .record([.record([.int(3), .record([])]), .string("s")])),
    ]

    /// Nested records whose deepest level holds no collection or union, so the records set the depth.
    static let flatSchema = #"""
        {"type":"record","name":"P","fields":[
          {"name":"q","type":{"type":"record","name":"Q","fields":[
            {"name":"x","type":"int"},
            {"name":"e","type":{"type":"record","name":"Empty","fields":[]}}
          ]}},
          {"name":"s","type":"string"}
        ]}
        """#

    /// Whether the fast walk and the full validator make the same decision on `input`.
    static func agree(_ codec: AvroDatumCodec, _ input: [UInt8]) -> (agree: Bool, accepted: Bool) {
        input.withUnsafeBytes { buffer in
            let fast = AvroFastValidator.accepts(buffer, program: codec.program, limits: codec.limits)
            let full = (try? codec.validateFully(buffer)) != nil
            return (fast == full, full)
        }
    }

    @Test(arguments: 0..<7)
    func limitsAreSweptAcrossTheBoundaries(index: Int) throws {
        let (schemaText, value) = Self.cases[index]
        let schema = try AvroSchema(parsing: schemaText)
        let bytes = try AvroDatumCodec(schema: schema).encode(value)
        var accepted = 0
        var rejected = 0
        for depth in 0...7 {
            for values in 0...70 {
                for (length, count) in [(1 << 16, 10_000), (0, 10_000), (1, 1), (2, 2), (3, 3)] {
                    let limits = AvroLimits(
                        maxDepth: depth, maxCollectionCount: count, maxLength: length, maxValues: values)
                    let (agree, ok) = Self.agree(AvroDatumCodec(schema: schema, limits: limits), bytes)
                    #expect(agree, "case \(index), depth \(depth), values \(values), length \(length), count \(count)")
                    if ok { accepted += 1 } else { rejected += 1 }
                }
            }
        }
        #expect(accepted > 0)
        #expect(rejected > 0)
    }

    @Test(arguments: 0..<7)
    func mutationsAndTruncationsAgree(index: Int) throws {
        let (schemaText, value) = Self.cases[index]
        let codec = AvroDatumCodec(
            schema: try AvroSchema(parsing: schemaText),
            limits: AvroLimits(maxDepth: 8, maxCollectionCount: 100, maxLength: 64, maxValues: 200)
        )
        let bytes = try AvroDatumCodec(schema: codec.schema).encode(value)
        var rng = HostileMutationTests.SeededGenerator(state: UInt64(index) &+ 17)
        var accepted = 0
        for cut in 0...bytes.count {
            #expect(Self.agree(codec, Array(bytes[..<cut])).agree, "case \(index), cut \(cut)")
        }
        for round in 0..<3_000 {
            var input = bytes
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let position = Int.random(in: 0..<input.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: input[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                case 1: input[position] = [0x00, 0x01, 0x02, 0x7F, 0x80, 0xC3, 0xFF][Int.random(in: 0..<7, using: &rng)]
                case 2: input.insert(UInt8.random(in: 0...255, using: &rng), at: position)
                default: if input.count > 1 { input.remove(at: position) }
                }
            }
            let (agree, ok) = Self.agree(codec, input)
            #expect(agree, "case \(index), round \(round): \(input)")
            if ok { accepted += 1 }
        }
        #expect(Self.agree(codec, bytes) == (true, true))
        #expect(accepted > 0)
    }

    @Test func refusedDatumsGetTheFullError() throws {
        let codec = AvroDatumCodec(schema: try AvroSchema(parsing: Self.nestedSchema), limits: AvroLimits(maxDepth: 2))
        let bytes = try AvroDatumCodec(schema: codec.schema).encode(Self.nestedValue)
        let error = try #require(throws: AvroError.self) { try codec.validate(bytes) }
        #expect(error.code == .limitExceeded)
        #expect(error.message == "datum is nested deeper than the limit of 2")
        #expect(error.dataPath == ".mid.inner")
        #expect(throws: AvroError.self) { try codec.decode(bytes) }
    }
}
