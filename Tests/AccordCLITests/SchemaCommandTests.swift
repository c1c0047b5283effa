import Foundation
import Testing

/// `accord schema …` against the example schemas; expected values computed independently with fastavro.
@Suite struct SchemaCommandTests {
    let orders = AccordProcess.schema("orders-value/v1.avsc")

    @Test func canonicalFormOfOrders() throws {
        let result = try AccordProcess.run(["schema", "canonical", orders])
        #expect(result.status == 0)
        #expect(
            result.output == """
                {"name":"com.example.shop.Order","type":"record","fields":[{"name":"id","type":"long"},\
                {"name":"customer","type":"string"},{"name":"amount","type":"bytes"},{"name":"status","type":\
                {"name":"com.example.shop.Status","type":"enum","symbols":["PLACED","PAID","SHIPPED"]}},\
                {"name":"items","type":{"type":"array","items":{"name":"com.example.shop.LineItem","type":"record",\
                "fields":[{"name":"sku","type":"string"},{"name":"quantity","type":"int"}]}}},\
                {"name":"placed_at","type":"long"}]}

                """
        )
    }

    @Test(arguments: [
        ("rabin", "685623a6461f15af"),
        ("md5", "ceab6451cd4b566eb39ecd60cdda18b6"),
        ("sha256", "d0eb4415613b5c1e02e11c84ada205a3fde6b0be34ea21ee5eccad96dbf7e148"),
    ])
    func fingerprintOfOrders(algorithm: String, expected: String) throws {
        let result = try AccordProcess.run(["schema", "fingerprint", "--algorithm", algorithm, orders])
        #expect(result.status == 0)
        #expect(result.output == expected + "\n")
    }

    @Test func rabinIsTheDefaultAlgorithm() throws {
        let result = try AccordProcess.run(["schema", "fingerprint", AccordProcess.schema("users-value/v1.avsc")])
        #expect(result.output == "a5558bcee584ec9a\n")
    }

    @Test func invalidSchemaExitsTwoWithThePointer() throws {
        let file = try TemporaryFile(
            contents: #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]}"#,
            extension: "avsc"
        )
        let result = try AccordProcess.run(["schema", "canonical", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/fields/1/name"))
        #expect(result.stderr.contains("two fields named \"a\""))
    }

    @Test func unknownExtensionNeedsType() throws {
        let file = try TemporaryFile(contents: #""int""#, extension: "json")
        let refused = try AccordProcess.run(["schema", "canonical", file.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--type avro"))
        let accepted = try AccordProcess.run(["schema", "canonical", "--type", "avro", file.path])
        #expect(accepted.status == 0)
        #expect(accepted.output == "\"int\"\n")
    }

    @Test func missingFileExitsTwo() throws {
        let result = try AccordProcess.run(["schema", "canonical", "/nonexistent/x.avsc"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot read"))
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try AccordProcess.run(["schema", "fingerprint", "--algorithm", "crc32", orders])
        #expect(result.status == 2)
    }
}

/// A file in the temporary folder, removed when the value goes away.
final class TemporaryFile {
    let path: String

    init(contents: String, extension ext: String) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("accord-\(UUID().uuidString).\(ext)").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    }

    init(bytes: [UInt8], extension ext: String) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("accord-\(UUID().uuidString).\(ext)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
