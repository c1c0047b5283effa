
<

main.proto".
TestMessage
test_string (	R
testString