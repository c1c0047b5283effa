
©

main.protofoo"
TestMessage
test_string (	R
testString2
test_int (2.foo.TestMessage.StatusRtestInt)
Status
test_string (	R
testStringbproto3