/// The `.proto` text of imports that are built in (`google/protobuf/*.proto`, common `google/type/*.proto`).
///
/// The texts live in `ProtoWellKnownTypes` (Sources/ProtobufSchema/WellKnown); this indirection keeps the
/// compiler testable with in-memory stand-ins until that catalogue is present.
enum BuiltInProtoFiles {
    static func source(forImport path: String) -> String? {
        nil
    }
}
