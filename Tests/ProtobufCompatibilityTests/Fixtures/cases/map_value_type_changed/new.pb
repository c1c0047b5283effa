


main.proto"z
TestMessage0
counts (2.TestMessage.CountsEntryRcounts9
CountsEntry
key (	Rkey
value (	Rvalue:8bproto3