// Confluent frame reading on any bytes: a frame or a WireFormatError, never past the input. What reads must be
// written back to the same header.
import WireFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for withIndexes in [false, true] {
        guard let frame = try? WireFraming.read(bytes, messageIndexes: withIndexes) else { continue }
        guard frame.payloadOffset <= bytes.count else { fatalError("payload offset past the end") }
        let header = WireFraming.header(frame.schema, messageIndexes: frame.messageIndexes)
        // Message indexes [0] are written as the single byte 0, whatever form they were read in.
        if let again = try? WireFraming.read(header, messageIndexes: withIndexes) {
            if again.schema != frame.schema || again.messageIndexes != frame.messageIndexes {
                fatalError("header does not read back")
            }
        } else {
            fatalError("written header does not read")
        }
    }
    var offset = 0
    while offset < bytes.count, (try? Varint.read(bytes, at: &offset)) != nil {}
    return 0
}
