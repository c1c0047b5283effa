
*

main.proto"
M
a (RaRbbproto3