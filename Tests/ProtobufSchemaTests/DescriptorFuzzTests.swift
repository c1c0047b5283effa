import Foundation
import SwiftProtobuf
import Testing

@testable import ProtobufSchema

/// Seeded structural mutations of valid descriptors. The invariant: whatever the base64 path accepts has
/// canonical text that compiles back to an equivalent descriptor and renders the same again; everything else is
/// refused with `.invalidSchema`; nothing crashes.
@Suite struct DescriptorFuzzTests {
    static let names = [
        "A", "x_y", "Evil {}\nmessage Real", "Bad; }}} {{{", "", "1abc", "a.b", "message", "CountsEntry", "id",
        "_", "é", "Order",
    ]
    static let numbers: [Int32] = [0, 1, 2, 3, -5, 18999, 19000, 19999, 536_870_911, 536_870_912, Int32.max]
    static let typeNames = ["", ".shop.Order", ".Nope", "shop.Order", ".shop.Order.CountsEntry", "..x", ".shop.Kind"]

    struct Outcome {
        var accepted = 0
        var refused = 0
    }

    /// The paths (indexes through `nestedType`) of every message in `file`.
    static func messagePaths(_ messages: [Google_Protobuf_DescriptorProto], prefix: [Int] = []) -> [[Int]] {
        var out: [[Int]] = []
        for (i, message) in messages.enumerated() {
            out.append(prefix + [i])
            out += messagePaths(message.nestedType, prefix: prefix + [i])
        }
        return out
    }

    static func update(
        _ messages: inout [Google_Protobuf_DescriptorProto], at path: ArraySlice<Int>,
        _ body: (inout Google_Protobuf_DescriptorProto) -> Void
    ) {
        guard let first = path.first, messages.indices.contains(first) else { return }
        if path.count == 1 {
            body(&messages[first])
        } else {
            update(&messages[first].nestedType, at: path.dropFirst(), body)
        }
    }

    static func pick<T>(_ values: [T], _ random: inout SplitMix) -> T {
        values[Int(random.next() % UInt64(values.count))]
    }

    /// One to three random edits of names, numbers, labels, types, type names, oneofs, map entries and enums.
    static func mutate(_ file: inout Google_Protobuf_FileDescriptorProto, _ random: inout SplitMix) {
        for _ in 0...(random.next() % 3) {
            let paths = messagePaths(file.messageType)
            let path = pick(paths, &random)
            let choice = random.next() % 12
            let name = pick(names, &random)
            let number = pick(numbers, &random)
            let typeName = pick(typeNames, &random)
            let label = pick([Google_Protobuf_FieldDescriptorProto.Label.optional, .required, .repeated], &random)
            let type = Google_Protobuf_FieldDescriptorProto.TypeEnum(rawValue: Int(random.next() % 18) + 1) ?? .int32
            let selector = Int(random.next() % 8)
            switch choice {
            case 9:
                if !file.enumType.isEmpty {
                    if random.next() % 2 == 0 {
                        file.enumType[0].value[selector % file.enumType[0].value.count].name = name
                    } else {
                        file.enumType[0].value[selector % file.enumType[0].value.count].number = number
                    }
                }
            case 10:
                file.package = pick(["shop", "shop.v2", "", "a..b", "x y"], &random)
            default:
                update(&file.messageType, at: path[...]) { message in
                    if choice == 8 {
                        message.name = name
                        return
                    }
                    if choice == 11 {
                        message.options.mapEntry.toggle()
                        return
                    }
                    guard !message.field.isEmpty else {
                        message.field.append(.with { $0.name = "f"; $0.number = number; $0.type = type; $0.label = label })
                        return
                    }
                    let index = selector % message.field.count
                    switch choice {
                    case 0: message.field[index].name = name
                    case 1: message.field[index].number = number
                    case 2: message.field[index].label = label
                    case 3: message.field[index].type = type
                    case 4: message.field[index].typeName = typeName
                    case 5:
                        if message.field[index].hasOneofIndex {
                            message.field[index].clearOneofIndex()
                        } else {
                            message.field[index].oneofIndex = Int32(selector % 3)
                        }
                    case 6: message.field.swapAt(index, (index + 1) % message.field.count)
                    default: message.field[index].jsonName = name
                    }
                }
            }
        }
    }

    @Test func mutantsThatAreAcceptedReadBackTheSame() throws {
        let compiler = DescriptorValidationTests.compiler
        var bases = try DescriptorValidationTests.validSources.map { try DescriptorValidationTests.descriptor($0) }
        bases.append(try DescriptorValidationTests.order())
        var random = SplitMix(seed: 2024)
        var outcome = Outcome()
        for round in 0..<500 {
            var mutant = bases[round % bases.count]
            Self.mutate(&mutant, &random)
            let base64 = try DescriptorValidationTests.base64(mutant)
            let accepted: ProtoSchema
            do {
                accepted = try compiler.compile(base64Descriptor: base64, path: "default")
            } catch {
                outcome.refused += 1
                #expect(error.code == .invalidSchema, "round \(round): \(error)")
                continue
            }
            outcome.accepted += 1
            #expect(DescriptorEquivalence.firstDifference(mutant, accepted.file) == nil, "round \(round)")
            let stored = accepted.canonicalText
            let reread = try compiler.compile(source: stored, path: "default")
            #expect(DescriptorEquivalence.firstDifference(mutant, reread.file) == nil, "round \(round)")
            #expect(reread.canonicalText == stored, "round \(round)")
        }
        // Both sides of the invariant are exercised.
        #expect(outcome.accepted >= 25, "accepted \(outcome.accepted)")
        #expect(outcome.refused >= 250, "refused \(outcome.refused)")
    }
}
