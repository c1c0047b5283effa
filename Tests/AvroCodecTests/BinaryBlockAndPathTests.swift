import AvroCodec
import Testing

/// Hand-built multi-block collections, and the location carried by errors.
@Suite struct BinaryBlockAndPathTests {
    private func codec(_ text: String, limits: AvroLimits = .default) throws -> AvroDatumCodec {
        AvroDatumCodec(schema: try AvroSchema(parsing: text), limits: limits)
    }

    /// Both validate and decode must reject `bytes` the same way; returns the error.
    private func rejection(_ codec: AvroDatumCodec, _ bytes: [UInt8]) -> AvroError? {
        var validateError: AvroError?
        var decodeError: AvroError?
        do { try codec.validate(bytes) } catch { validateError = error }
        do { _ = try codec.decode(bytes) } catch { decodeError = error }
        #expect(validateError == decodeError)
        return validateError
    }

    // MARK: Blocks

    @Test func mapWithNegativeCountBlockAndSecondBlock() throws {
        let c = try codec(#"{"type":"map","values":"long"}"#)
        let bytes: [UInt8] = [
            0x03, 0x0C,  // count -2, then a byte size of 6
            0x02, 0x61, 0x02,  // "a" -> 1
            0x02, 0x62, 0x04,  // "b" -> 2
            0x02,  // count 1
            0x02, 0x63, 0x06,  // "c" -> 3
            0x00,  // end
        ]
        try c.validate(bytes)
        #expect(
            try c.decode(bytes)
                == .map([AvroMapEntry("a", .long(1)), AvroMapEntry("b", .long(2)), AvroMapEntry("c", .long(3))])
        )
        // Re-encoding writes one positive block.
        #expect(try c.encode(try c.decode(bytes)) == [0x06, 0x02, 0x61, 0x02, 0x02, 0x62, 0x04, 0x02, 0x63, 0x06, 0x00])
    }

    @Test func arrayOfManyBlocksKeepsIndexesAcrossBlocks() throws {
        let c = try codec(#"{"type":"array","items":"int"}"#)
        // count 1: 1; count -1 (1 byte): 2; count 2: 3, 4; end
        let bytes: [UInt8] = [0x02, 0x02, 0x01, 0x02, 0x04, 0x04, 0x06, 0x08, 0x00]
        #expect(try c.decode(bytes) == .array([.int(1), .int(2), .int(3), .int(4)]))
        // Strings in blocks of 2 and 2, the fourth invalid UTF-8: index 3, not 1.
        let strings = try codec(#"{"type":"array","items":"string"}"#)
        let bad: [UInt8] = [0x04, 0x02, 0x61, 0x02, 0x62, 0x04, 0x02, 0x63, 0x02, 0xFF, 0x00]
        let error = try #require(rejection(strings, bad))
        #expect(error.code == .invalidData)
        #expect(error.dataPath == "[3]")
        #expect(error.offset == 8)
    }

    @Test func blockByteSizeMustMatchItsItems() throws {
        let c = try codec(#"{"type":"array","items":"long"}"#)
        // count -2 with a byte size of 3, but the two longs take 2 bytes.
        let error = try #require(rejection(c, [0x03, 0x06, 0x02, 0x04, 0x00, 0x00]))
        #expect(error.code == .invalidData)
        #expect(error.offset == 4)
        // A negative byte size.
        let negative = try #require(rejection(c, [0x03, 0x01, 0x02, 0x04, 0x00]))
        #expect(negative.code == .invalidData)
        #expect(negative.offset == 1)
        // A byte size beyond the input.
        let beyond = try #require(rejection(c, [0x03, 0x7E, 0x02, 0x04, 0x00]))
        #expect(beyond.code == .truncatedData)
        #expect(beyond.offset == 1)
    }

    @Test func negativeBlockOfZeroByteItems() throws {
        let c = try codec(#"{"type":"array","items":"null"}"#)
        #expect(try c.decode([0x05, 0x00, 0x00]) == .array([.null, .null, .null]))
    }

    // MARK: Datum paths

    static let orderSchema = #"""
        {"type":"record","name":"Envelope","fields":[
          {"name":"id","type":"long"},
          {"name":"order","type":{"type":"record","name":"Order","fields":[
            {"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[
              {"name":"name","type":"string"},
              {"name":"price","type":"double"}
            ]}}},
            {"name":"tags","type":{"type":"map","values":["null","string"]}}
          ]}}
        ]}
        """#

    private static func item(_ name: String, _ price: Double) -> AvroValue {
        .record([.string(name), .double(price)])
    }

    @Test func truncatedPriceReportsFieldPathAndOffset() throws {
        let c = try codec(Self.orderSchema)
        let value: AvroValue = .record([
            .long(1),
            .record([
                .array([Self.item("a", 1), Self.item("b", 2), Self.item("c", 3), Self.item("d", 4)]),
                .map([]),
            ]),
        ])
        var bytes = try c.encode(value)
        // Drop the map terminator and the last 4 bytes of the fourth price.
        bytes.removeLast(5)
        let error = try #require(rejection(c, bytes))
        #expect(error.code == .truncatedData)
        #expect(error.dataPath == ".order.items[3].price")
        // id (1) + count (1) + three items of 10 bytes + "d" (2)
        #expect(error.offset == 34)
        #expect(error.description.contains(".order.items[3].price"))
    }

    @Test func mapValueAndUnionBranchInPath() throws {
        let c = try codec(Self.orderSchema)
        let value: AvroValue = .record([
            .long(1),
            .record([.array([]), .map([AvroMapEntry("colour \"x\"", .union(branch: 1, value: .string("ok")))])]),
        ])
        var bytes = try c.encode(value)
        // Make the string's one byte of content invalid UTF-8: bytes are ... 04 'o' 'k' 00.
        bytes[bytes.count - 3] = 0xC0
        let error = try #require(rejection(c, bytes))
        #expect(error.code == .invalidData)
        #expect(error.dataPath == #".order.tags["colour \"x\""]<string>"#)
        #expect(error.offset == bytes.count - 4)
    }

    @Test func badMapKeyIsReportedByEntryIndex() throws {
        let c = try codec(#"{"type":"map","values":"int"}"#)
        let error = try #require(rejection(c, [0x04, 0x02, 0x61, 0x00, 0x02, 0xFF, 0x00, 0x00]))
        #expect(error.code == .invalidData)
        #expect(error.dataPath == "[1]<key>")
        #expect(error.offset == 4)
    }

    @Test func rootErrorsHaveEmptyPath() throws {
        let c = try codec(#""int""#)
        let error = try #require(rejection(c, [0x80]))
        #expect(error.code == .truncatedData)
        #expect(error.dataPath == "")
        #expect(error.offset == 0)
    }

    // MARK: Encoding checks

    @Test func encodeRejectsWrongShapesWithPath() throws {
        let c = try codec(Self.orderSchema)
        func encodeError(_ value: AvroValue) -> AvroError? {
            do {
                _ = try c.encode(value)
                return nil
            } catch {
                return error
            }
        }
        let wrongPrice = encodeError(
            .record([.long(1), .record([.array([Self.item("a", 1), .record([.string("b"), .float(2)])]), .map([])])])
        )
        #expect(wrongPrice?.code == .invalidValue)
        #expect(wrongPrice?.dataPath == ".order.items[1].price")
        #expect(wrongPrice?.message == "expected double, found float")

        let fieldCount = encodeError(.record([.long(1)]))
        #expect(fieldCount?.code == .invalidValue)
        #expect(fieldCount?.dataPath == "")

        let branch = encodeError(
            .record([.long(1), .record([.array([]), .map([AvroMapEntry("k", .union(branch: 2, value: .null))])])])
        )
        #expect(branch?.code == .invalidValue)
        #expect(branch?.dataPath == #".order.tags["k"]"#)

        let branchValue = encodeError(
            .record([.long(1), .record([.array([]), .map([AvroMapEntry("k", .union(branch: 1, value: .null))])])])
        )
        #expect(branchValue?.dataPath == #".order.tags["k"]<string>"#)
    }

    @Test func encodeChecksEnumsAndFixedSizes() throws {
        let e = try codec(#"{"type":"enum","name":"E","symbols":["A","B"]}"#)
        #expect(throws: AvroError.self) { try e.encode(.enumeration(index: 2, symbol: "C")) }
        #expect(throws: AvroError.self) { try e.encode(.enumeration(index: -1, symbol: "A")) }
        #expect(throws: AvroError.self) { try e.encode(.enumeration(index: 0, symbol: "B")) }
        #expect(try e.encode(.enumeration(index: 1, symbol: "B")) == [0x02])
        let f = try codec(#"{"type":"fixed","name":"F","size":2}"#)
        #expect(throws: AvroError.self) { try f.encode(.fixed([1, 2, 3])) }
        #expect(throws: AvroError.self) { try f.encode(.bytes([1, 2])) }
    }

    @Test func failedEncodeIntoLeavesBytesUnchanged() throws {
        let c = try codec(#"{"type":"array","items":"int"}"#)
        var out: [UInt8] = [0x01, 0x02]
        #expect(throws: AvroError.self) { try c.encode(.array([.int(1), .int(2), .long(3)]), into: &out) }
        #expect(out == [0x01, 0x02])
    }

    @Test func encodeStopsAtDepthLimit() throws {
        let c = try codec(BinaryRoundTripTestsSchemas.linkedList, limits: AvroLimits(maxDepth: 10))
        var value: AvroValue = .record([.long(0), .union(branch: 0, value: .null)])
        for i in 1...20 {
            value = .record([.long(Int64(i)), .union(branch: 1, value: value)])
        }
        #expect(throws: AvroError.self) { try c.encode(value) }
    }
}

enum BinaryRoundTripTestsSchemas {
    static let linkedList = #"{"type":"record","name":"Node","fields":[{"name":"value","type":"long"},{"name":"next","type":["null","Node"]}]}"#
}
