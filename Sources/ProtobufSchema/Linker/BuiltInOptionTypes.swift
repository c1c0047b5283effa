import SwiftProtobuf

/// The option messages of `google/protobuf/descriptor.proto` (names, numbers and types only), which every file
/// may use without importing anything, as protoc uses its compiled-in copy.
///
/// Written without options so that compiling it needs no option interpretation.
enum BuiltInOptionTypes {
    static let source = """
        syntax = "proto2";
        package google.protobuf;
        enum Edition {
          EDITION_UNKNOWN = 0; EDITION_LEGACY = 900; EDITION_PROTO2 = 998; EDITION_PROTO3 = 999;
          EDITION_2023 = 1000; EDITION_2024 = 1001; EDITION_2026 = 1002; EDITION_UNSTABLE = 9999;
          EDITION_1_TEST_ONLY = 1; EDITION_2_TEST_ONLY = 2; EDITION_99997_TEST_ONLY = 99997;
          EDITION_99998_TEST_ONLY = 99998; EDITION_99999_TEST_ONLY = 99999; EDITION_MAX = 0x7FFFFFFF;
        }
        message UninterpretedOption {
          message NamePart { required string name_part = 1; required bool is_extension = 2; }
          repeated NamePart name = 2;
          optional string identifier_value = 3;
          optional uint64 positive_int_value = 4;
          optional int64 negative_int_value = 5;
          optional double double_value = 6;
          optional bytes string_value = 7;
          optional string aggregate_value = 8;
        }
        message FeatureSet {
          enum FieldPresence { FIELD_PRESENCE_UNKNOWN = 0; EXPLICIT = 1; IMPLICIT = 2; LEGACY_REQUIRED = 3; }
          optional FieldPresence field_presence = 1;
          enum EnumType { ENUM_TYPE_UNKNOWN = 0; OPEN = 1; CLOSED = 2; }
          optional EnumType enum_type = 2;
          enum RepeatedFieldEncoding { REPEATED_FIELD_ENCODING_UNKNOWN = 0; PACKED = 1; EXPANDED = 2; }
          optional RepeatedFieldEncoding repeated_field_encoding = 3;
          enum Utf8Validation { UTF8_VALIDATION_UNKNOWN = 0; VERIFY = 2; NONE = 3; }
          optional Utf8Validation utf8_validation = 4;
          enum MessageEncoding { MESSAGE_ENCODING_UNKNOWN = 0; LENGTH_PREFIXED = 1; DELIMITED = 2; }
          optional MessageEncoding message_encoding = 5;
          enum JsonFormat { JSON_FORMAT_UNKNOWN = 0; ALLOW = 1; LEGACY_BEST_EFFORT = 2; }
          optional JsonFormat json_format = 6;
          enum EnforceNamingStyle {
            ENFORCE_NAMING_STYLE_UNKNOWN = 0; STYLE2024 = 1; STYLE_LEGACY = 2; STYLE2026 = 3;
          }
          optional EnforceNamingStyle enforce_naming_style = 7;
          message VisibilityFeature {
            enum DefaultSymbolVisibility {
              DEFAULT_SYMBOL_VISIBILITY_UNKNOWN = 0; EXPORT_ALL = 1; EXPORT_TOP_LEVEL = 2; LOCAL_ALL = 3; STRICT = 4;
            }
          }
          optional VisibilityFeature.DefaultSymbolVisibility default_symbol_visibility = 8;
          extensions 1000 to 9994, 9995 to 9999, 10000;
        }
        message ExtensionRangeOptions {
          message Declaration {
            optional int32 number = 1; optional string full_name = 2; optional string type = 3;
            optional bool reserved = 5; optional bool repeated = 6;
          }
          repeated Declaration declaration = 2;
          optional FeatureSet features = 50;
          enum VerificationState { DECLARATION = 0; UNVERIFIED = 1; }
          optional VerificationState verification = 3;
          repeated UninterpretedOption uninterpreted_option = 999;
          extensions 1000 to max;
        }
        message FileOptions {
          optional string java_package = 1;
          optional string java_outer_classname = 8;
          optional bool java_multiple_files = 10;
          optional bool java_generate_equals_and_hash = 20;
          optional bool java_string_check_utf8 = 27;
          enum OptimizeMode { SPEED = 1; CODE_SIZE = 2; LITE_RUNTIME = 3; }
          optional OptimizeMode optimize_for = 9;
          optional string go_package = 11;
          optional bool cc_generic_services = 16;
          optional bool java_generic_services = 17;
          optional bool py_generic_services = 18;
          optional bool deprecated = 23;
          optional bool cc_enable_arenas = 31;
          optional string objc_class_prefix = 36;
          optional string csharp_namespace = 37;
          optional string swift_prefix = 39;
          optional string php_class_prefix = 40;
          optional string php_namespace = 41;
          optional string php_metadata_namespace = 44;
          optional string ruby_package = 45;
          optional FeatureSet features = 50;
          repeated UninterpretedOption uninterpreted_option = 999;
          extensions 1000 to max;
        }
        message MessageOptions {
          optional bool message_set_wire_format = 1;
          optional bool no_standard_descriptor_accessor = 2;
          optional bool deprecated = 3;
          optional bool map_entry = 7;
          optional bool deprecated_legacy_json_field_conflicts = 11;
          optional FeatureSet features = 12;
          repeated UninterpretedOption uninterpreted_option = 999;
          extensions 1000 to max;
        }
        message FieldOptions {
          enum CType { STRING = 0; CORD = 1; STRING_PIECE = 2; }
          optional CType ctype = 1;
          optional bool packed = 2;
          enum JSType { JS_NORMAL = 0; JS_STRING = 1; JS_NUMBER = 2; }
          optional JSType jstype = 6;
          optional bool lazy = 5;
          optional bool unverified_lazy = 15;
          optional bool deprecated = 3;
          optional bool weak = 10;
          optional bool debug_redact = 16;
          enum OptionRetention { RETENTION_UNKNOWN = 0; RETENTION_RUNTIME = 1; RETENTION_SOURCE = 2; }
          optional OptionRetention retention = 17;
          enum OptionTargetType {
            TARGET_TYPE_UNKNOWN = 0; TARGET_TYPE_FILE = 1; TARGET_TYPE_EXTENSION_RANGE = 2; TARGET_TYPE_MESSAGE = 3;
            TARGET_TYPE_FIELD = 4; TARGET_TYPE_ONEOF = 5; TARGET_TYPE_ENUM = 6; TARGET_TYPE_ENUM_ENTRY = 7;
            TARGET_TYPE_SERVICE = 8; TARGET_TYPE_METHOD = 9;
          }
          repeated OptionTargetType targets = 19;
          message EditionDefault { optional Edition edition = 3; optional string value = 2; }
          repeated EditionDefault edition_defaults = 20;
          optional FeatureSet features = 21;
          message FeatureSupport {
            optional Edition edition_introduced = 1; optional Edition edition_deprecated = 2;
            optional string deprecation_warning = 3; optional Edition edition_removed = 4;
            optional string removal_error = 5;
          }
          optional FeatureSupport feature_support = 22;
          repeated UninterpretedOption uninterpreted_option = 999;
          extensions 1000 to max;
        }
        message OneofOptions {
          optional FeatureSet features = 1;
          repeated UninterpretedOption uninterpreted_option = 999;
          extensions 1000 to max;
        }
        message EnumOptions {
          optional bool allow_alias = 2;
          optional bool deprecated = 3;
          optional bool deprecated_legacy_json_field_conflicts = 6;
          optional FeatureSet features = 7;
          repeated UninterpretedOption uninterpreted_option = 999;
          extensions 1000 to max;
        }
        message EnumValueOptions {
          optional bool deprecated = 1;
          optional FeatureSet features = 2;
          optional bool debug_redact = 3;
          optional FieldOptions.FeatureSupport feature_support = 4;
          repeated UninterpretedOption uninterpreted_option = 999;
          extensions 1000 to max;
        }
        message ServiceOptions {
          optional FeatureSet features = 34;
          optional bool deprecated = 33;
          repeated UninterpretedOption uninterpreted_option = 999;
          extensions 1000 to max;
        }
        message MethodOptions {
          optional bool deprecated = 33;
          enum IdempotencyLevel { IDEMPOTENCY_UNKNOWN = 0; NO_SIDE_EFFECTS = 1; IDEMPOTENT = 2; }
          optional IdempotencyLevel idempotency_level = 34;
          optional FeatureSet features = 35;
          repeated UninterpretedOption uninterpreted_option = 999;
          extensions 1000 to max;
        }
        """

    /// Messages and enums of `source` by full name (no leading dot).
    struct Index: Sendable {
        var messages: [String: DescriptorProto] = [:]
        var enums: [String: EnumProto] = [:]
    }

    static let index: Index = {
        var index = Index()
        let limits = ProtoCompileLimits.default
        var linker = ProtoLinker(resolver: ProtoImportResolver { _ in nil }, limits: limits)
        guard let file = (try? linker.link(mainSource: source, mainPath: "google/protobuf/descriptor.proto"))?.last
        else { return index }
        func add(_ message: DescriptorProto, scope: String) {
            let name = scope + "." + message.name
            index.messages[name] = message
            for nested in message.nestedType { add(nested, scope: name) }
            for e in message.enumType { index.enums[name + "." + e.name] = e }
        }
        for message in file.messageType { add(message, scope: file.package) }
        for e in file.enumType { index.enums[file.package + "." + e.name] = e }
        return index
    }()

    /// Option fields that protoc leaves out of descriptor sets (`retention = RETENTION_SOURCE`), by message.
    static let sourceRetention: [String: Set<Int32>] = [
        "google.protobuf.ExtensionRangeOptions": [2, 3],
        "google.protobuf.FeatureSet": [7, 8, 9],
    ]

    /// Features not yet available in edition 2023, with the edition that introduced them.
    static let laterFeatures: [Int32: String] = [7: "2024", 8: "2024", 9: "2026"]
}
