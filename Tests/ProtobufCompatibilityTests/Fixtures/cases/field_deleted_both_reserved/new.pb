
0

main.proto"
M
a (RaJRbbproto3