
'

main.proto"
M
v (Rvbproto3