/// A framed message that cannot be read: what is wrong and at which byte.
public struct WireFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The bytes end before the frame does.
        case truncated
        /// A byte that cannot be there (an unknown magic byte, an out-of-range index, an over-long varint).
        case invalid
    }

    public var kind: Kind
    public var message: String
    /// The offset of the offending byte in the framed message.
    public var offset: Int

    public init(_ kind: Kind, _ message: String, offset: Int) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at byte \(offset))" }
}
