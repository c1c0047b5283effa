
¨

main.proto"f
M 
subs (2.M.SubsEntryRsubs?
	SubsEntry
key (	Rkey
value (2.OtherRvalue:8"
Sub
x (Rx"
Other
x (Rxbproto3