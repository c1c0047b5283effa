import AvroCodec
import SchemaCompatibility
import Testing

/// The sentences, and the behaviour on large and cyclic schemas.
@Suite struct CompatibilityMessageTests {
    private func check(_ reader: String, _ writer: String) throws -> [Incompatibility] {
        try AvroSchema(parsing: reader).incompatibilities(readingDataWrittenBy: AvroSchema(parsing: writer))
    }

    @Test func nameMismatchNamesBothTypes() throws {
        let found = try check(
            #"{"type":"enum","name":"a.Color","symbols":["R"]}"#,
            #"{"type":"enum","name":"b.Colour","symbols":["R"]}"#
        )
        #expect(found == [
            Incompatibility(
                kind: "NAME_MISMATCH", path: "/name",
                message: "The reader's enum is named 'a.Color' but the writer's is named 'b.Colour': the unqualified "
                    + "names must be equal, or the reader must list 'b.Colour' among its aliases."
            )
        ])
    }

    @Test func fixedSizeMismatchGivesBothSizes() throws {
        let found = try check(#"{"type":"fixed","name":"F","size":4}"#, #"{"type":"fixed","name":"F","size":8}"#)
        #expect(found.map(\.message) == [
            "The reader's fixed 'F' holds 4 bytes but the writer's fixed 'F' holds 8 bytes; the sizes must be equal."
        ])
        #expect(found.map(\.path) == ["/size"])
    }

    @Test func missingSymbolsAreListedSorted() throws {
        let found = try check(
            #"{"type":"enum","name":"E","symbols":["A"]}"#,
            #"{"type":"enum","name":"E","symbols":["D","A","C","B"]}"#
        )
        #expect(found.map(\.message) == [
            "The writer's enum 'E' can write the symbols [B, C, D], which the reader's enum 'E' does not have, "
                + "and the reader's enum has no default symbol to use instead."
        ])
    }

    @Test func missingDefaultNamesTheFieldTheRecordAndTheAliases() throws {
        let found = try check(
            #"{"type":"record","name":"R","fields":[{"name":"x","type":"int","aliases":["y"]}]}"#,
            #"{"type":"record","name":"ns.R","fields":[]}"#
        )
        #expect(found == [
            Incompatibility(
                kind: "READER_FIELD_MISSING_DEFAULT_VALUE", path: "/fields/0",
                message: "The reader's field 'x' has no default value, and the writer's record 'ns.R' has no field 'x' "
                    + "(nor one named like its aliases [\"y\"]) to read it from."
            )
        ])
    }

    @Test func typeMismatchNamesBothTypes() throws {
        let found = try check(#"{"type":"array","items":"int"}"#, #"{"type":"map","values":"int"}"#)
        #expect(found.map(\.message) == [
            "The reader expects array but the writer wrote map, which cannot be read as that type."
        ])
        #expect(found.map(\.path) == ["/"])
    }

    @Test func unionMessagesNameTheWriterType() throws {
        let branch = try check(#"["int"]"#, #"["int",{"type":"record","name":"P","fields":[]}]"#)
        #expect(branch.map(\.message) == [
            "The reader's union has no branch that can read branch 1 of the writer's union, record 'P'."
        ])
        #expect(branch.map(\.path) == ["/1"])
        let plain = try check(#"["null","string"]"#, #""long""#)
        #expect(plain.map(\.message) == ["The reader's union has no branch that can read the writer's long."])
        #expect(plain.map(\.path) == ["/"])
    }

    /// Java throws when a reader field's name and alias match two writer fields; the direct name wins here.
    @Test func ambiguousFieldAliasPrefersTheDirectName() throws {
        let reader = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["b"]}]}"#
        let compatible = try check(
            reader, #"{"type":"record","name":"R","fields":[{"name":"b","type":"string"},{"name":"a","type":"int"}]}"#)
        #expect(compatible.isEmpty)
        let viaAlias = try check(reader, #"{"type":"record","name":"R","fields":[{"name":"b","type":"string"}]}"#)
        #expect(viaAlias.map(\.kind) == ["TYPE_MISMATCH"])
        #expect(viaAlias.map(\.path) == ["/fields/0/type"])
    }

    @Test func findingsCarryNoVersionOrDirection() throws {
        let found = try check(#""int""#, #""string""#)
        #expect(found.count == 1)
        #expect(found.first?.version == nil)
        #expect(found.first?.direction == nil)
    }

    /// Records named `N` in distinct namespaces chained `next` to `next` into a cycle of `length`,
    /// nested inline (about three JSON levels per record).
    private func cycle(length: Int, extraField: String = "") -> String {
        var json = #""n0.N""#
        for i in stride(from: length - 1, through: 0, by: -1) {
            json = #"{"type":"record","name":"n\#(i).N","fields":[{"name":"v","type":"int"}\#(extraField),"#
                + #"{"name":"next","type":\#(json)}]}"#
        }
        return json
    }

    /// Cycles of coprime lengths (31 and 29) put 899 distinct (reader, writer) pairs on the walk before a pair
    /// repeats; the explicit stack keeps that off the thread's stack.
    @Test func coprimeCyclesAreWalkedWithoutRecursion() throws {
        let reader = try AvroSchema(parsing: cycle(length: 31))
        let writer = try AvroSchema(parsing: cycle(length: 29))
        #expect(try reader.incompatibilities(readingDataWrittenBy: writer).isEmpty)
        #expect(try writer.incompatibilities(readingDataWrittenBy: reader).isEmpty)
    }

    @Test func coprimeCyclesReportEachPairOnce() throws {
        let reader = try AvroSchema(parsing: cycle(length: 3, extraField: #",{"name":"w","type":"int"}"#))
        let writer = try AvroSchema(parsing: cycle(length: 2))
        let found = try reader.incompatibilities(readingDataWrittenBy: writer)
        // 3 × 2 distinct record pairs, each missing `w` once, at the location where each pair was first met.
        #expect(found.map(\.kind) == Array(repeating: "READER_FIELD_MISSING_DEFAULT_VALUE", count: 6))
        #expect(found.first?.path == "/fields/1")
        #expect(found.last?.path == "/fields/2/type/fields/2/type/fields/2/type/fields/2/type/fields/2/type/fields/1")
    }

    @Test func wideRecordsAreCheckedFieldByField() throws {
        let fields = (0..<3000).map { #"{"name":"f\#($0)","type":"int"}"# }.joined(separator: ",")
        let widened = (0..<3000).map { #"{"name":"f\#($0)","type":"long"}"# }.joined(separator: ",")
        let narrow = try AvroSchema(parsing: #"{"type":"record","name":"W","fields":[\#(fields)]}"#)
        let wide = try AvroSchema(parsing: #"{"type":"record","name":"W","fields":[\#(widened)]}"#)
        #expect(try wide.incompatibilities(readingDataWrittenBy: narrow).isEmpty)
        let found = try narrow.incompatibilities(readingDataWrittenBy: wide)
        #expect(found.count == 3000)
        #expect(found.last?.path == "/fields/2999/type")
    }
}
