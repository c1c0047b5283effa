
|

main.proto"f
M&
counts (2.M.CountsEntryRcounts9
CountsEntry
key (	Rkey
value (Rvalue:8bproto3