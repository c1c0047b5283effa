/// Bounds on what the codec accepts from untrusted input.
public struct ProtoCodecLimits: Sendable, Hashable {
    /// Deepest nesting of messages and groups below the root (protobuf's default recursion limit is
    /// 100); values above 500 are treated as 500 to keep recursion well inside a thread's stack.
    public var maxDepth: Int
    /// Largest payload, in bytes, that `validate`, `decodeToJSON` and `encode` accept.
    public var maxMessageBytes: Int
    /// Most elements in one repeated field or map when decoding to JSON or encoding from it.
    public var maxCollectionCount: Int

    /// Sets every limit; the defaults follow protobuf (depth 100) and allow 64 MiB payloads.
    public init(maxDepth: Int = 100, maxMessageBytes: Int = 64 << 20, maxCollectionCount: Int = 1 << 24) {
        self.maxDepth = maxDepth
        self.maxMessageBytes = maxMessageBytes
        self.maxCollectionCount = maxCollectionCount
    }

    /// protobuf's depth limit of 100, 64 MiB messages, 16 Mi elements per collection.
    public static let `default` = ProtoCodecLimits()
}
