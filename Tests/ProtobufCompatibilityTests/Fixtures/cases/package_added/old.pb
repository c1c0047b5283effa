
'

main.proto"
M
a (Rabproto3