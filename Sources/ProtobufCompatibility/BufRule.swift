/// buf's breaking-change rule IDs that belong to the `WIRE`, `WIRE_JSON` or `FILE` categories of a `v2`
/// configuration. The raw value is buf's rule ID, reported as `Incompatibility.kind`.
enum BufRule: String, CaseIterable, Sendable {
    // FILE only: source-level deletions and changes.
    case enumNoDelete = "ENUM_NO_DELETE"
    case extensionNoDelete = "EXTENSION_NO_DELETE"
    case fileNoDelete = "FILE_NO_DELETE"
    case messageNoDelete = "MESSAGE_NO_DELETE"
    case serviceNoDelete = "SERVICE_NO_DELETE"
    case enumSameType = "ENUM_SAME_TYPE"
    case enumValueNoDelete = "ENUM_VALUE_NO_DELETE"
    case extensionMessageNoDelete = "EXTENSION_MESSAGE_NO_DELETE"
    case fieldNoDelete = "FIELD_NO_DELETE"
    case fieldSameCardinality = "FIELD_SAME_CARDINALITY"
    case fieldSameCppStringType = "FIELD_SAME_CPP_STRING_TYPE"
    case fieldSameJavaUTF8Validation = "FIELD_SAME_JAVA_UTF8_VALIDATION"
    case fieldSameJSType = "FIELD_SAME_JSTYPE"
    case fieldSameType = "FIELD_SAME_TYPE"
    case fieldSameUTF8Validation = "FIELD_SAME_UTF8_VALIDATION"
    case fileSameCcEnableArenas = "FILE_SAME_CC_ENABLE_ARENAS"
    case fileSameCcGenericServices = "FILE_SAME_CC_GENERIC_SERVICES"
    case fileSameCsharpNamespace = "FILE_SAME_CSHARP_NAMESPACE"
    case fileSameGoPackage = "FILE_SAME_GO_PACKAGE"
    case fileSameJavaGenericServices = "FILE_SAME_JAVA_GENERIC_SERVICES"
    case fileSameJavaMultipleFiles = "FILE_SAME_JAVA_MULTIPLE_FILES"
    case fileSameJavaOuterClassname = "FILE_SAME_JAVA_OUTER_CLASSNAME"
    case fileSameJavaPackage = "FILE_SAME_JAVA_PACKAGE"
    case fileSameObjcClassPrefix = "FILE_SAME_OBJC_CLASS_PREFIX"
    case fileSameOptimizeFor = "FILE_SAME_OPTIMIZE_FOR"
    case fileSamePhpClassPrefix = "FILE_SAME_PHP_CLASS_PREFIX"
    case fileSamePhpMetadataNamespace = "FILE_SAME_PHP_METADATA_NAMESPACE"
    case fileSamePhpNamespace = "FILE_SAME_PHP_NAMESPACE"
    case fileSamePyGenericServices = "FILE_SAME_PY_GENERIC_SERVICES"
    case fileSameRubyPackage = "FILE_SAME_RUBY_PACKAGE"
    case fileSameSwiftPrefix = "FILE_SAME_SWIFT_PREFIX"
    case fileSameSyntax = "FILE_SAME_SYNTAX"
    case messageNoRemoveStandardDescriptorAccessor = "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR"
    case oneofNoDelete = "ONEOF_NO_DELETE"
    case rpcNoDelete = "RPC_NO_DELETE"
    // FILE and WIRE_JSON.
    case enumSameJSONFormat = "ENUM_SAME_JSON_FORMAT"
    case enumValueSameName = "ENUM_VALUE_SAME_NAME"
    case fieldSameJSONName = "FIELD_SAME_JSON_NAME"
    case fieldSameName = "FIELD_SAME_NAME"
    case messageSameJSONFormat = "MESSAGE_SAME_JSON_FORMAT"
    // FILE, WIRE_JSON and WIRE.
    case fieldSameDefault = "FIELD_SAME_DEFAULT"
    case fieldSameOneof = "FIELD_SAME_ONEOF"
    case fileSamePackage = "FILE_SAME_PACKAGE"
    case messageSameRequiredFields = "MESSAGE_SAME_REQUIRED_FIELDS"
    case reservedEnumNoDelete = "RESERVED_ENUM_NO_DELETE"
    case reservedMessageNoDelete = "RESERVED_MESSAGE_NO_DELETE"
    case rpcSameClientStreaming = "RPC_SAME_CLIENT_STREAMING"
    case rpcSameIdempotencyLevel = "RPC_SAME_IDEMPOTENCY_LEVEL"
    case rpcSameRequestType = "RPC_SAME_REQUEST_TYPE"
    case rpcSameResponseType = "RPC_SAME_RESPONSE_TYPE"
    case rpcSameServerStreaming = "RPC_SAME_SERVER_STREAMING"
    // WIRE_JSON only.
    case enumValueNoDeleteUnlessNameReserved = "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED"
    case fieldNoDeleteUnlessNameReserved = "FIELD_NO_DELETE_UNLESS_NAME_RESERVED"
    case fieldWireJSONCompatibleCardinality = "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"
    case fieldWireJSONCompatibleType = "FIELD_WIRE_JSON_COMPATIBLE_TYPE"
    // WIRE_JSON and WIRE.
    case enumValueNoDeleteUnlessNumberReserved = "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"
    case fieldNoDeleteUnlessNumberReserved = "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"
    // WIRE only.
    case fieldWireCompatibleCardinality = "FIELD_WIRE_COMPATIBLE_CARDINALITY"
    case fieldWireCompatibleType = "FIELD_WIRE_COMPATIBLE_TYPE"

    /// The categories (`FILE`, `WIRE_JSON`, `WIRE`) a rule belongs to in buf's `v2` configuration.
    var categories: Set<String> {
        switch self {
        case .enumSameJSONFormat, .enumValueSameName, .fieldSameJSONName, .fieldSameName, .messageSameJSONFormat:
            ["FILE", "WIRE_JSON"]
        case .fieldSameDefault, .fieldSameOneof, .fileSamePackage, .messageSameRequiredFields,
            .reservedEnumNoDelete, .reservedMessageNoDelete, .rpcSameClientStreaming, .rpcSameIdempotencyLevel,
            .rpcSameRequestType, .rpcSameResponseType, .rpcSameServerStreaming:
            ["FILE", "WIRE_JSON", "WIRE"]
        case .enumValueNoDeleteUnlessNameReserved, .fieldNoDeleteUnlessNameReserved,
            .fieldWireJSONCompatibleCardinality, .fieldWireJSONCompatibleType:
            ["WIRE_JSON"]
        case .enumValueNoDeleteUnlessNumberReserved, .fieldNoDeleteUnlessNumberReserved:
            ["WIRE_JSON", "WIRE"]
        case .fieldWireCompatibleCardinality, .fieldWireCompatibleType:
            ["WIRE"]
        default:
            ["FILE"]
        }
    }

    /// The rules of the buf category matching `ruleSet` (empty for `.confluent`).
    static func rules(for ruleSet: ProtoRuleSet) -> Set<BufRule> {
        let category: String
        switch ruleSet {
        case .confluent: return []
        case .wire: category = "WIRE"
        case .wireJSON: category = "WIRE_JSON"
        case .file: category = "FILE"
        }
        return Set(allCases.filter { $0.categories.contains(category) })
    }
}
