import Foundation
import JSONSupport

/// Schemas the suites register.
enum Fixture {
    static let userV1 = #"{"type":"record","name":"User","namespace":"e2e","fields":[{"name":"id","type":"long"}]}"#
    /// Backward compatible with v1: a new field with a default.
    static let userV2 =
        #"{"type":"record","name":"User","namespace":"e2e","fields":[{"name":"id","type":"long"},{"name":"email","type":["null","string"],"default":null}]}"#
    /// Not backward compatible with v1: a new field without a default.
    static let userBad =
        #"{"type":"record","name":"User","namespace":"e2e","fields":[{"name":"id","type":"long"},{"name":"age","type":"int"}]}"#
    /// v1 with whitespace and a doc: the same schema once normalized, different text otherwise.
    static let userV1Spaced = """
        { "type": "record", "name": "User", "namespace": "e2e",
          "fields": [ { "name": "id", "type": "long" } ] }
        """

    static func record(_ name: String) -> String {
        #"{"type":"record","name":"\#(name)","fields":[{"name":"f","type":"string"}]}"#
    }

    static let orderProto = """
        syntax = "proto3";
        package e2e;

        message Order {
          int64 id = 1;
          string note = 2;
        }
        """

    static let moneyProto = """
        syntax = "proto3";
        package e2e.common;

        message Money {
          string currency = 1;
          int64 units = 2;
        }
        """

    static let invoiceProto = """
        syntax = "proto3";
        package e2e;

        import "e2e/common/money.proto";

        message Invoice {
          string id = 1;
          e2e.common.Money total = 2;
        }
        """

    /// An Avro record that uses `e2e.Address` from another subject.
    static let address = #"{"type":"record","name":"Address","namespace":"e2e","fields":[{"name":"city","type":"string"}]}"#
    static let customer =
        #"{"type":"record","name":"Customer","namespace":"e2e","fields":[{"name":"name","type":"string"},{"name":"address","type":"e2e.Address"}]}"#
}
