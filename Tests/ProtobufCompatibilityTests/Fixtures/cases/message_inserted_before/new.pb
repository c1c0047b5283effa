
u

main.proto"/
TestMessage2
test_string (	R
testString".
TestMessage
test_string (	R
testStringbproto3