
x

main.proto"b
M&
counts (2.M.CountsEntryRcounts5
CountsEntry
key (	Rkey
value (Rvaluebproto3