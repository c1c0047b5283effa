
>

main.proto"(
TestMessage
test_int (RtestIntbproto3