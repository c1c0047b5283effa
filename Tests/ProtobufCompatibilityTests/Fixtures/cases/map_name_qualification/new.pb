
÷

main.proto"à
TestMessage
test_string (	R
testString4
test_map (2.TestMessage.TestMapEntryRtestMapO
TestMapEntry
key (	Rkey)
value (2.TestMessage.StatusRvalue:8)
Status
test_string (	R
testStringbproto3