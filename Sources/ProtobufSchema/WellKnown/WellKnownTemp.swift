extension ProtoWellKnownTypes {
    static let protobufSources: [String: String] = [:]
    static let googleTypeSources: [String: String] = [:]
    static let confluentSources: [String: String] = [:]
    static let descriptorProtoSource = ""
}
