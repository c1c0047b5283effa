
'

main.proto"
M
s (	Rsbproto3