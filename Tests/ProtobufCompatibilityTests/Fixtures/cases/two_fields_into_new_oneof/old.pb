
g

main.proto"Q
TestMessage
test_string (	R
testString!
test_string2 (	RtestString2bproto3