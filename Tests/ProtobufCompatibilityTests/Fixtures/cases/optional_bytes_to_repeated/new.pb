
B

main.proto",
TestMessage

test_bytes (R	testBytesbproto3