


main.proto"X
TestMessage
test_string (	R
testString(
test_int (2.TestMessage3RtestInt"
TestMessage3
s1 (	Rs1bproto3