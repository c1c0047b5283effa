/// Protobuf compatibility rules plug into `SchemaCompatibility` here.
enum ProtobufCompatibilityModule {}
