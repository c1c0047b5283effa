/// The `.proto` text of imports that are built in (`google/protobuf/*.proto`, common `google/type/*.proto`).
///
/// The texts live in `ProtoWellKnownTypes` (Sources/ProtobufSchema/WellKnown); resolvers fall back to them.
enum BuiltInProtoFiles {
    static func source(forImport path: String) -> String? {
        ProtoWellKnownTypes.source(forImport: path)
    }
}
