import JSONSupport
import Testing

/// What the tape makes of `bytes`: the value it rebuilds, or nil when it refuses the document.
private func tapeValue(_ bytes: [UInt8], limits: JSONParseLimits = .default) -> JSONValue? {
    bytes.withUnsafeBufferPointer { buffer in
        JSONTape.read(buffer, limits: limits) { tape in tape.value(at: 0) }
    }
}

/// The tape accepts exactly what `JSONParser` accepts, and rebuilds the same value.
private func expectSameAsParser(_ bytes: [UInt8], limits: JSONParseLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) {
    let parsed = try? JSONParser.parse(bytes, limits: limits)
    let read = tapeValue(bytes, limits: limits)
    #expect(parsed == read, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
}

@Suite struct JSONTapeTests {
    static let documents: [String] = [
        "null", " true ", "\tfalse\r\n", #""""#, "[]", "{}", "[ ]", "{ }", "0", "-0", "1.5", "-1.5e+10", "1E5", "12345678901234567890",
        #"[1, "a", null, [true], {"k": {}}]"#, #"{"z": 1, "a": 2, "m": 3}"#,
        #"{"a": "caf\u00e9", "b": "\ud83d\ude00", "c": "tab\tnewline\n", "d": "\"\\\/\b\f\n\r\t"}"#,
        #"{"name": "Zürich", "emoji": "😀", "cjk": "日本"}"#,
        // Escaped and non-ASCII names, duplicates under `String` equality included.
        #"{"a": 1, "\u0061": 2}"#, #"{"K": 1, "\u212A": 2}"#, #"{"K": 1, "K": 2}"#, #"{"é": 1, "e\u0301": 2}"#,
        #"{"é": 1, "é": 2}"#, #"{"a": 1, "b": {"a": 2}}"#, #"{"a": 1, "a": 2}"#, #"{"abcdefghij": 1, "abcdefghij": 2}"#,
        #"{"abcdefghij": 1, "abcdefghik": 2, "bbcdefghij": 3}"#,
        // Malformed documents.
        "", " ", "[", "]", "{", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\": }", "{a: 1}", "{\"a\": 1,}", "01", "-", "1.", "1e", "1e+",
        ".5", "+1", "tru", "nul", "falsey", "[1] x", #""abc"#, #""\x""#, #""\u12""#, #""\ud800""#, #""\udc00""#,
        #""\ud800\u0041""#, "\"a\u{1}b\"", "\"\u{7f}\"", "[\"\u{0}\"]", "[1]\n", "\u{FEFF}[1]",
    ]

    @Test func acceptsAndRebuildsAsTheParserDoes() {
        for document in Self.documents {
            expectSameAsParser(Array(document.utf8))
        }
    }

    @Test func largeObjectsFindDuplicatesBeyondTheScan() {
        var members = (0..<40).map { #""k\#($0)": \#($0)"# }
        expectSameAsParser(Array(("{" + members.joined(separator: ",") + "}").utf8))
        members.append(#""k3": 0"#)
        expectSameAsParser(Array(("{" + members.joined(separator: ",") + "}").utf8))
        members[40] = #""k\u0033": 0"#
        expectSameAsParser(Array(("{" + members.joined(separator: ",") + "}").utf8))
        members[40] = #""\u212A": 0"#
        members.append(#""K": 0"#)
        expectSameAsParser(Array(("{" + members.joined(separator: ",") + "}").utf8))
    }

    @Test func invalidUTF8AndByteOrderMark() {
        expectSameAsParser([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF]] {
            expectSameAsParser([0x22] + bad + [0x22])
            expectSameAsParser([0x22, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68] + bad + [0x22])
        }
    }

    @Test func limits() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        expectSameAsParser(Array(deep.utf8))
        let limits = JSONParseLimits(maxBytes: 64, maxDepth: 3, maxContainerCount: 4)
        for document in ["[[[1]]]", "[[[[1]]]]", "[1,2,3,4]", "[1,2,3,4,5]", #"{"a":1,"b":2,"c":3,"d":4,"e":5}"#, "[" + String(repeating: "1,", count: 40) + "1]"] {
            expectSameAsParser(Array(document.utf8), limits: limits)
        }
        expectSameAsParser(Array(("[" + String(repeating: "1", count: 1025) + "]").utf8))
        expectSameAsParser(Array(("[" + String(repeating: "1", count: 1024) + "]").utf8))
    }

    /// Documents mutated byte by byte (deterministically): whatever the parser makes of each, so does the tape.
    @Test func mutatedDocuments() {
        var state: UInt64 = 7
        func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        let seeds = Self.documents.filter { (try? JSONParser.parse($0)) != nil } + [
            #"{"eventId":"evt-0000abcd","type":"ORDER_PAID","items":[{"sku":"AB-1234","quantity":1,"unitPrice":1.5}],"tags":["a","b"],"n":null,"k":"\u212A","esc":"a\"b\\c"}"#
        ]
        let alphabet = Array(#"{}[],:"\ u0123456789.eE+-tfnlrsaé"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xA9, 0xFF]
        for _ in 0..<4000 {
            var bytes = Array(seeds[next() % seeds.count].utf8)
            for _ in 0...(next() % 3) {
                let position = bytes.isEmpty ? 0 : next() % bytes.count
                switch next() % 3 {
                case 0 where !bytes.isEmpty: bytes.remove(at: position)
                case 1: bytes.insert(alphabet[next() % alphabet.count], at: position)
                default: if !bytes.isEmpty { bytes[position] = alphabet[next() % alphabet.count] }
                }
            }
            expectSameAsParser(bytes)
        }
    }
}
