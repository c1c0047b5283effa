
o

main.proto"Y
Wrapper

wrapperInt (R
wrapperInt.
TestMessage
test_string (	R
testStringbproto3