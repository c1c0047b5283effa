
 

main.proto"‰
TestMessage
test_string (	R
testString.
test_int (2.TestMessage.StatusRtestInt)
Status
test_string (	R
testStringbproto3