
Ä

main.proto"­
TestMessage
test_string (	R
testString>
test_map_int (2.TestMessage.TestMapIntEntryR
testMapInt=
TestMapIntEntry
key (	Rkey
value (Rvalue:8bproto3