
_

main.proto"I
TestMessage
test_string (	R
testString
test_int (RtestIntbproto3