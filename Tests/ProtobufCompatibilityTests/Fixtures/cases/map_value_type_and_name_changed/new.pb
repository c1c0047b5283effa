
Ð

main.proto"¹
TestMessage
test_string (	R
testStringG
test_map_string (2.TestMessage.TestMapStringEntryRtestMapString@
TestMapStringEntry
key (	Rkey
value (	Rvalue:8bproto3