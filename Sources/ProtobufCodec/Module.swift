/// The dynamic Protobuf codec lives here.
enum ProtobufCodecModule {}
