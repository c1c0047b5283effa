
¦

main.proto"
TestMessage
test_string (	R
testString4
test_status (2.TestMessage.StatusR
testStatus)
Status
test_string (	R
testStringbproto3