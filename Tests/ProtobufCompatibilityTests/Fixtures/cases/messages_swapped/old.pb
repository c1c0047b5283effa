
u

main.proto".
TestMessage
test_string (	R
testString"/
TestMessage2
test_string (	R
testStringbproto3