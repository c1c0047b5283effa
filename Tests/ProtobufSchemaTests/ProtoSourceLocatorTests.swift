import ProtobufSchema
import Testing

@Suite struct ProtoSourceLocatorTests {
    let text = """
        syntax = "proto3";
        package shop.v1;

        message Order {
          string id = 1;
          message Line { int32 n = 1; }
          oneof pay { string card = 2; }
        }
        enum Color {
          RED = 0;
          BLUE = 1;
        }
        service Shop { rpc Buy (Order) returns (Order); }
        """

    @Test func elementsAreFoundByTheirNames() {
        #expect(ProtoSourceLocator.position(of: "Order", in: text).map { [$0.line, $0.column] } == [4, 9])
        #expect(ProtoSourceLocator.position(of: "Order.id", in: text).map { [$0.line, $0.column] } == [5, 10])
        #expect(ProtoSourceLocator.position(of: "shop.v1.Order.Line.n", in: text).map { [$0.line, $0.column] } == [6, 24])
        #expect(ProtoSourceLocator.position(of: "Order.pay", in: text).map { [$0.line, $0.column] } == [7, 9])
        #expect(ProtoSourceLocator.position(of: "Color.BLUE", in: text).map { [$0.line, $0.column] } == [11, 3])
        #expect(ProtoSourceLocator.position(of: "Shop.Buy", in: text).map { [$0.line, $0.column] } == [13, 20])
    }

    @Test func aMissingElementFallsBackToItsParentAndNothingToNil() {
        #expect(ProtoSourceLocator.position(of: "Order.gone", in: text).map { [$0.line, $0.column] } == [4, 9])
        #expect(ProtoSourceLocator.position(of: "Color.GREEN", in: text).map { [$0.line, $0.column] } == [9, 6])
        #expect(ProtoSourceLocator.position(of: "Nothing", in: text) == nil)
        #expect(ProtoSourceLocator.position(of: "", in: text) == nil)
        #expect(ProtoSourceLocator.position(of: "Order", in: "message {") == nil)
    }
}
