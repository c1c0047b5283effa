import JSONSupport
import Foundation
import Testing

/// The confluent-kafka Python client (PyPI, unmodified) against a started server: its SchemaRegistryClient
/// and its Avro and Protobuf serializers. `scripts/install-python-test-deps.sh` installs what it needs.
@Suite struct PythonClientTests {
    @Test func confluentKafkaClientWorksUnchanged() async throws {
        let script = Build.packageRoot.appendingPathComponent("Tests/python/confluent_client_test.py").path
        try await withServer { client in
            let result = try await Build.run(["python3", script, client.base], timeout: .seconds(300), tool: "/usr/bin/env")
            #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
            #expect(result.stdout.contains("ok AvroSerializer/AvroDeserializer round trip"))
            #expect(result.stdout.contains("ok ProtobufSerializer/ProtobufDeserializer round trip"))
            #expect(result.stdout.hasSuffix("ALL OK\n"))
        }
    }
}
