


main.proto"X
TestMessage
test_string (	R
testString(
test_int (2.TestMessage2RtestInt"
TestMessage2
s1 (	Rs1bproto3