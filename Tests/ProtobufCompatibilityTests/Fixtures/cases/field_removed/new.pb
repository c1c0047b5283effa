
D

main.proto".
TestMessage
test_string (	R
testStringbproto3